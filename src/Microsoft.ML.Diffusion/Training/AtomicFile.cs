using System.Runtime.InteropServices;

namespace Microsoft.ML.Diffusion;

/// <summary>
/// Writes a file so that a crash at any moment leaves either the old state or the complete new file, never a
/// partial one: write a temporary file in the same folder, flush and fsync it, rename it over the target, then
/// fsync the folder so the rename itself survives a power loss.
/// </summary>
internal static partial class AtomicFile
{
    /// <summary>Temporary files start with this, so a folder scan can tell them from finished files.</summary>
    public const string TemporaryPrefix = ".tmp-";

    public static void Write(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full)!;
        string temp = Path.Combine(folder, $"{TemporaryPrefix}{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
        SyncFolder(folder);
    }

    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover is harmless, as readers ignore temporary and pruned names alike.
        }
    }

    // .NET cannot open a directory as a FileStream, so fsync it through libc. Best effort: some file systems refuse.
    private static void SyncFolder(string folder)
    {
        if (OperatingSystem.IsWindows()) return;
        int fd = Open(folder, 0);
        if (fd < 0) return;
        Fsync(fd);
        Close(fd);
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync")]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
