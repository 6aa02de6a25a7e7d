namespace Microsoft.ML.Diffusion;

/// <summary>
/// Whether each checkpoint file in a folder verifies (<see cref="TrainingCheckpoint.Verify(string)"/>), remembered per
/// file length and write time, so pruning after every checkpoint costs one verification per foreign file and run.
/// </summary>
internal sealed class CheckpointVerdicts
{
    private readonly Dictionary<string, (long Length, DateTime WrittenUtc, string? Problem)> _known = new(StringComparer.Ordinal);
    private readonly Action<string> _log;

    public CheckpointVerdicts(Action<string> log) => _log = log;

    /// <summary>Records the verdict of a file as it is now.</summary>
    public void Remember(string path, string? problem)
    {
        var info = new FileInfo(path);
        if (info.Exists) _known[path] = (info.Length, info.LastWriteTimeUtc, problem);
    }

    /// <summary>Why the file does not verify, or null when it does (or has vanished: there is nothing left to keep).</summary>
    public string? Problem(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) return null;
        if (_known.TryGetValue(path, out var known) && known.Length == info.Length && known.WrittenUtc == info.LastWriteTimeUtc)
            return known.Problem;
        string? problem = null;
        try
        {
            TrainingCheckpoint.Verify(path);
        }
        catch (InvalidDataException e)
        {
            problem = Reason(e);
            _log($"Checkpoint '{Path.GetFileName(path)}' does not verify ({problem}); it is not counted among the checkpoints kept and is left in place.");
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        Remember(path, problem);
        return problem;
    }

    /// <summary>What is wrong with a checkpoint, without the file name that the checkpoint reader's message repeats.</summary>
    public static string Reason(InvalidDataException e) =>
        e.InnerException is FormatException or InvalidDataException or IOException or UnauthorizedAccessException ? e.InnerException.Message : e.Message;
}
