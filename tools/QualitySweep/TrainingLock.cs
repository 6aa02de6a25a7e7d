using System.Runtime.InteropServices;

namespace Microsoft.ML.Diffusion.Tools;

/// <summary>
/// An exclusive flock(2) on a file that other jobs on the machine (builds run under `flock FILE ...`) also take:
/// held while a configuration trains, so its wall-clock budget buys the same work as on an idle machine, and
/// released while it samples, when background builds may run.
/// </summary>
internal sealed partial class TrainingLock : IDisposable
{
    private const int LockExclusive = 2;
    private const int Unlock = 8;
    private readonly FileStream _file;

    private TrainingLock(FileStream file) => _file = file;

    public static TrainingLock? Acquire(string? path)
    {
        if (path is null) return null;
        var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite);
        if (flock((int)file.SafeFileHandle.DangerousGetHandle(), LockExclusive) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            file.Dispose();
            throw new IOException($"--hold-lock: flock on '{path}' failed (errno {errno}).");
        }
        return new TrainingLock(file);
    }

    public void Dispose()
    {
        _ = flock((int)_file.SafeFileHandle.DangerousGetHandle(), Unlock);
        _file.Dispose();
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int flock(int fd, int operation);
}
