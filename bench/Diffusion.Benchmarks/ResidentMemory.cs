namespace Diffusion.Benchmarks;

/// <summary>Resident memory of this process, read from /proc/self/status, and a sampler of its peak.</summary>
public sealed class ResidentMemory : IDisposable
{
    private readonly Thread _thread;
    private volatile bool _stop;
    private long _peak;

    private ResidentMemory(TimeSpan interval)
    {
        _peak = CurrentBytes();
        _thread = new Thread(() =>
        {
            while (!_stop)
            {
                long now = CurrentBytes();
                if (now > Interlocked.Read(ref _peak)) Interlocked.Exchange(ref _peak, now);
                Thread.Sleep(interval);
            }
        }) { IsBackground = true, Name = "rss-sampler" };
        _thread.Start();
    }

    /// <summary>Starts sampling the resident set every <paramref name="intervalMs"/> milliseconds.</summary>
    public static ResidentMemory StartSampling(int intervalMs = 20) => new(TimeSpan.FromMilliseconds(intervalMs));

    /// <summary>The largest resident set seen while sampling.</summary>
    public long PeakBytes => Math.Max(Interlocked.Read(ref _peak), CurrentBytes());

    /// <summary>The process's peak resident set (VmHWM) in bytes: what getrusage's ru_maxrss reports, as the PyTorch reference reads it.</summary>
    public static long HighWaterMarkBytes() => ReadKb("VmHWM:") * 1024;

    /// <summary>The current resident set size (VmRSS) in bytes.</summary>
    public static long CurrentBytes() => ReadKb("VmRSS:") * 1024;

    private static long ReadKb(string key)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(key, StringComparison.Ordinal))
                return long.Parse(line[key.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        return 0;
    }

    /// <summary>Stops sampling.</summary>
    public void Dispose()
    {
        _stop = true;
        _thread.Join();
    }
}
