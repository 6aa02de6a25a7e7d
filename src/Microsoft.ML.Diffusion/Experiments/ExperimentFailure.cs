namespace Microsoft.ML.Diffusion.Experiments;

/// <summary>
/// Marks an error that every trial of the experiment would repeat (unusable data, a search-space key that is no option),
/// so that <see cref="AutoMLExperiment"/> stops at once with it. The mark travels in <see cref="Exception.Data"/>, so a
/// caller of a trial runner outside an experiment still sees the original exception type.
/// </summary>
internal static class ExperimentFailure
{
    private const string Key = "Microsoft.ML.Diffusion.Experiments.FailsEveryTrial";

    public static TException EveryTrial<TException>(TException e) where TException : Exception
    {
        e.Data[Key] = true;
        return e;
    }

    public static bool FailsEveryTrial(Exception e) => e.Data[Key] is true;
}
