using Microsoft.ML.Diffusion;
using Spectre.Console;

namespace FashionMnistDemo;

/// <summary>
/// Shows what the demo is doing: a live progress bar on a terminal, plain log lines otherwise (CI, pipes).
/// Training reports progress through <see cref="IProgress{T}"/> on the training thread, every step.
/// </summary>
internal abstract class Display : IProgress<DiffusionTrainingProgress>
{
    /// <summary>The last progress report, for the summary.</summary>
    public DiffusionTrainingProgress? Last { get; private set; }

    /// <summary>Whether the trainer should log a line every few steps (the progress bar makes them noise).</summary>
    public abstract bool WantsStepLog { get; }

    public static Display Create(bool plain) =>
        plain || Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive ? new PlainDisplay() : new TerminalDisplay();

    /// <summary>An MLContext whose informational log lines and warnings this display shows.</summary>
    public Microsoft.ML.MLContext Context(int seed)
    {
        var ml = new Microsoft.ML.MLContext(seed: seed);
        ml.Log += (_, e) =>
        {
            if (e.Kind >= Microsoft.ML.Runtime.ChannelMessageKind.Info) Log(e.RawMessage);
        };
        return ml;
    }

    /// <summary>
    /// Bad options, missing data and damaged models are the user's to fix: the message names what and why, so the demo
    /// prints it without a stack trace. Anything else is a bug and keeps its trace.
    /// </summary>
    public static bool IsUsersError(Exception e) =>
        e is ArgumentException or IOException or InvalidDataException or FormatException or UnauthorizedAccessException or NotSupportedException
        || e is InvalidOperationException && e.Message.StartsWith("Training diverged", StringComparison.Ordinal);

    public void Report(DiffusionTrainingProgress value)
    {
        Last = value;
        OnProgress(value);
    }

    /// <summary>Runs <paramref name="train"/> (which calls Fit) while showing its progress.</summary>
    public abstract T Train<T>(Func<T> train);

    /// <summary>Runs <paramref name="sample"/>, which reports how many of <paramref name="count"/> images are done.</summary>
    public abstract T Sample<T>(int count, string description, Func<Action<int>, T> sample);

    /// <summary>A message from MLContext.Log.</summary>
    public abstract void Log(string message);

    /// <summary>A line of the demo's own, printed at once.</summary>
    public abstract void Line(string message);

    /// <summary>Ctrl+C was pressed during training.</summary>
    public abstract void Stopping();

    protected abstract void OnProgress(DiffusionTrainingProgress p);

    public static string Time(TimeSpan t) => t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss") : t.ToString(@"mm\:ss");
}

/// <summary>Spectre.Console progress bars; log messages that arrive while a bar is live are held until it ends.</summary>
internal sealed class TerminalDisplay : Display
{
    private readonly List<string> _held = [];
    private ProgressTask? _task;
    private bool _live;
    private volatile bool _stopping;

    public override bool WantsStepLog => false;

    public override T Train<T>(Func<T> train) => Live(ctx =>
    {
        _task = ctx.AddTask("starting…", maxValue: 1.0);
        try
        {
            var result = train();
            _task.Value = _task.MaxValue;
            return result;
        }
        finally
        {
            _task = null;
        }
    });

    public override T Sample<T>(int count, string description, Func<Action<int>, T> sample) => Live(ctx =>
    {
        var task = ctx.AddTask(Markup.Escape(description), maxValue: count);
        return sample(done => task.Value = done);
    });

    public override void Log(string message)
    {
        lock (_held)
        {
            if (_live) _held.Add(message);
            else AnsiConsole.MarkupLine($"[grey]{Markup.Escape(message)}[/]");
        }
    }

    public override void Line(string message) => AnsiConsole.MarkupLine(Markup.Escape(message));

    public override void Stopping() => _stopping = true;

    protected override void OnProgress(DiffusionTrainingProgress p)
    {
        if (_task is not { } task) return;
        string eta = p.EstimatedRemaining is TimeSpan r ? Time(r) : "--:--";
        string state = _stopping ? "  [yellow]stopping (Ctrl+C)…[/]" : string.Empty;
        task.Description = $"step {p.Step,6}  loss {p.SmoothedLoss:F4}  {p.ImagesPerSecond,5:F0} img/s  ETA {eta}{state}";
        if (p.Fraction is double f) task.Value = f;
    }

    private T Live<T>(Func<ProgressContext, T> action)
    {
        lock (_held) _live = true;
        try
        {
            return AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(action);
        }
        finally
        {
            lock (_held)
            {
                _live = false;
                foreach (var m in _held) AnsiConsole.MarkupLine($"[grey]{Markup.Escape(m)}[/]");
                _held.Clear();
            }
        }
    }
}

/// <summary>Line-oriented output for logs: the trainer's periodic MLContext.Log lines, with a timestamp.</summary>
internal sealed class PlainDisplay : Display
{
    private readonly object _lock = new();

    public override bool WantsStepLog => true;

    public override T Train<T>(Func<T> train) => train();

    public override T Sample<T>(int count, string description, Func<Action<int>, T> sample)
    {
        Line($"{description}…");
        int lastShown = 0;
        return sample(done =>
        {
            // One line per sampling batch would be noisy for large grids; quarters are enough for a log.
            if (done == count || done - lastShown >= Math.Max(1, count / 4))
            {
                lastShown = done;
                Line($"  {done}/{count} images");
            }
        });
    }

    public override void Log(string message) => Line(message);

    public override void Line(string message)
    {
        lock (_lock) Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
    }

    public override void Stopping() => Line("Ctrl+C: stopping after this step, then saving and sampling (press Ctrl+C again to abort).");

    protected override void OnProgress(DiffusionTrainingProgress p)
    {
    }
}
