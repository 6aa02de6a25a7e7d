namespace Diffusion.Benchmarks;

/// <summary>
/// Reports on the training thread itself. <see cref="Progress{T}"/> would post to the thread pool, so timings
/// taken in the callback would no longer line up with the step that produced them.
/// </summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
