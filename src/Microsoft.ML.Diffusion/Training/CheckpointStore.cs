using System.Globalization;

namespace Microsoft.ML.Diffusion;

/// <summary>
/// A folder of checkpoints named <c>checkpoint-{step}.zip</c>: writes them atomically, keeps the newest few, and
/// finds the newest one that loads. Temporary files of interrupted writes are never mistaken for checkpoints.
/// </summary>
internal sealed class CheckpointStore
{
    private const string Prefix = "checkpoint-";
    private const string Extension = ".zip";

    private readonly int _keep;
    private readonly Action<string> _log;

    public CheckpointStore(string folder, int keep, Action<string> log)
    {
        Folder = Path.GetFullPath(folder);
        _keep = keep;
        _log = log;
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

    /// <summary>Writes the checkpoint of <paramref name="step"/> atomically, then prunes the oldest beyond the number kept.</summary>
    public string Write(long step, Action<Stream> write)
    {
        Directory.CreateDirectory(Folder);
        string path = Path.Combine(Folder, FileName(step));
        AtomicFile.Write(path, write);
        foreach (var (_, old) in List(Folder).Skip(_keep))
            AtomicFile.TryDelete(old);
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

    /// <summary>The newest checkpoint that reads back, or null; unreadable ones are reported and skipped.</summary>
    public TrainingCheckpoint? ReadLatest()
    {
        foreach (var (_, path) in List(Folder))
        {
            try
            {
                return TrainingCheckpoint.Read(path);
            }
            catch (InvalidDataException e)
            {
                _log($"Skipping checkpoint '{path}': {e.Message}");
            }
            catch (FileNotFoundException)
            {
                // Pruned by another writer between listing and opening.
            }
        }
        return null;
    }
}
