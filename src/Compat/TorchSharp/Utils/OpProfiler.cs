using System.Text.Json;
using TorchSharp.PInvoke;

namespace TorchSharp.Utils;

/// <summary>
/// Not part of upstream TorchSharp (hence internal): a per-op profile from libtorch's legacy autograd profiler.
/// Every ATen op run between <see cref="Start"/> and <see cref="Stop"/>, forward and backward, is recorded;
/// <see cref="Stop"/> returns the self time of each op name (its time minus that of the ops it called).
/// </summary>
internal sealed class OpProfiler
{
    private readonly string _tracePath;
    private IntPtr _handle;

    private OpProfiler(string tracePath, IntPtr handle)
    {
        _tracePath = tracePath;
        _handle = handle;
    }

    /// <summary>Starts recording; the Chrome trace is written to <paramref name="tracePath"/>.</summary>
    public static OpProfiler Start(string tracePath) => new(tracePath, torch.Check(NativeMethods.ts_profiler_start(tracePath)));

    /// <summary>Stops recording and aggregates self time (ms) and call counts per op name, largest first.</summary>
    public IReadOnlyList<(string op, double selfMilliseconds, long calls)> Stop()
    {
        torch.CheckForErrors(NativeMethods.ts_profiler_stop(_handle));
        _handle = IntPtr.Zero;
        using var doc = JsonDocument.Parse(File.ReadAllText(_tracePath));
        var events = doc.RootElement.EnumerateArray()
            .Where(e => e.TryGetProperty("ph", out var ph) && ph.GetString() == "X")
            .Select(e => new Event(e.GetProperty("name").GetString() ?? "?", e.GetProperty("tid").ToString(),
                e.GetProperty("ts").GetDouble(), e.GetProperty("dur").GetDouble()))
            .ToList();
        var totals = new Dictionary<string, (double ms, long calls)>();
        void Add(Frame f)
        {
            var (ms, calls) = totals.GetValueOrDefault(f.Name);
            totals[f.Name] = (ms + (f.Duration - f.ChildTime) / 1000.0, calls + 1);
        }
        // On each thread events nest in time: a frame's children are the events that start before it ends.
        foreach (var thread in events.GroupBy(e => e.Thread))
        {
            var stack = new Stack<Frame>();
            foreach (var e in thread.OrderBy(e => e.Start).ThenByDescending(e => e.Duration))
            {
                while (stack.Count > 0 && stack.Peek().End <= e.Start) Add(stack.Pop());
                if (stack.Count > 0) stack.Peek().ChildTime += e.Duration;
                stack.Push(new Frame(e.Name, e.Start + e.Duration, e.Duration));
            }
            while (stack.Count > 0) Add(stack.Pop());
        }
        return totals.Select(kv => (kv.Key, kv.Value.ms, kv.Value.calls)).OrderByDescending(r => r.ms).ToList();
    }

    private sealed record Event(string Name, string Thread, double Start, double Duration);

    private sealed class Frame(string name, double end, double duration)
    {
        public string Name { get; } = name;
        public double End { get; } = end;
        public double Duration { get; } = duration;
        public double ChildTime { get; set; }
    }
}
