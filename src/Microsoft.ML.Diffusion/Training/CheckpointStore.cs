using System.Globalization;

namespace Microsoft.ML.Diffusion;

/// <summary>
/// A folder of checkpoints named <c>checkpoint-{step}.zip</c>: writes them atomically, keeps the newest few that verify,
/// and finds the newest one that loads. Temporary files of interrupted writes are never mistaken for checkpoints.
/// </summary>
internal sealed class CheckpointStore
{
    private const string Prefix = "checkpoint-";
    private const string Extension = ".zip";

    private readonly int _keep;
    private readonly Action<string> _log;
    private readonly CheckpointVerdicts _verdicts;

    public CheckpointStore(string folder, int keep, Action<string> log)
    {
        Folder = Path.GetFullPath(folder);
        _keep = keep;
        _log = log;
        _verdicts = new CheckpointVerdicts(log);
    }

    public string Folder { get; }

    public static string FileName(long step) => $"{Prefix}{step.ToString("D10", CultureInfo.InvariantCulture)}{Extension}";

    /// <summary>The checkpoints in the folder, newest (highest step) first.</summary>
    public static IReadOnlyList<(long Step, string Path)> List(string folder)
    {
        if (!Directory.Exists(folder)) return [];
        var found = new List<(long, string)>();
        foreach (var path in Directory.EnumerateFiles(folder, Prefix + "*" + Extension))
        {
            var name = Path.GetFileName(path);
            if (long.TryParse(name.AsSpan(Prefix.Length, name.Length - Prefix.Length - Extension.Length), NumberStyles.None, CultureInfo.InvariantCulture, out long step))
                found.Add((step, path));
        }
        return found.OrderByDescending(f => f.Item1).ToList();
    }

    /// <summary>
    /// Writes the checkpoint of <paramref name="step"/> atomically, then prunes: the checkpoint just written and the newest
    /// others that verify are kept, as many as the run keeps; older verified ones are deleted. A file that does not verify is
    /// never counted among the kept ones and never deleted (it is left in place and reported), so a damaged newer file can
    /// neither push out the run's good checkpoints nor vanish before someone has looked at it.
    /// </summary>
    public string Write(long step, Action<Stream> write)
    {
        Directory.CreateDirectory(Folder);
        string path = Path.Combine(Folder, FileName(step));
        AtomicFile.Write(path, write);
        _verdicts.Remember(path, problem: null);   // written from the live state: it verifies by construction
        int kept = 1;
        foreach (var (_, other) in List(Folder))
        {
            if (other == path || _verdicts.Problem(other) is not null) continue;
            if (kept < _keep) kept++;
            else AtomicFile.TryDelete(other);
        }
        return path;
    }

    /// <summary>Deletes temporary files that writers killed mid-write left behind.</summary>
    public void RemoveInterruptedWrites()
    {
        if (!Directory.Exists(Folder)) return;
        foreach (var temp in Directory.EnumerateFiles(Folder, AtomicFile.TemporaryPrefix + Prefix + "*"))
        {
            _log($"Removing '{Path.GetFileName(temp)}', left by an interrupted checkpoint write.");
            AtomicFile.TryDelete(temp);
        }
    }

    /// <summary>
    /// The newest checkpoint that reads back and restores, or null when the folder holds none. Each file skipped is
    /// logged with its reason; when files exist but none is usable, an <see cref="InvalidDataException"/> lists them all,
    /// because starting over silently would lose the run.
    /// </summary>
    public TrainingCheckpoint? ReadLatest()
    {
        var skipped = new List<string>();
        foreach (var (_, path) in List(Folder))
        {
            TrainingCheckpoint? checkpoint = null;
            try
            {
                checkpoint = TrainingCheckpoint.Read(path);
                checkpoint.RestoreIntoScratch();
                return checkpoint;
            }
            catch (InvalidDataException e)
            {
                checkpoint?.Dispose();
                string line = $"Skipped checkpoint '{Path.GetFileName(path)}': {CheckpointVerdicts.Reason(e)}";
                _log(line);
                skipped.Add(line);
            }
            catch (FileNotFoundException)
            {
                // Pruned by another writer between listing and opening.
            }
        }
        if (skipped.Count > 0)
            throw new InvalidDataException(
                $"ResumeFromLatest found no usable checkpoint in '{Folder}'. {string.Join(" ", skipped)} " +
                "Move or delete these files to start a new run in this folder, or set ResumeFromLatest = false (a new run leaves them in place).");
        return null;
    }
}
