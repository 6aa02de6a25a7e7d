using System.Collections.Concurrent;
using System.Diagnostics;

namespace Microsoft.ML.Diffusion.Tests;

/// <summary>
/// Training in a child process (test/CrashTrainer) is killed with SIGKILL at random moments and resumed. After
/// every kill, each checkpoint on disk must load completely, and the newest must be at most one interval behind
/// the last step the child reported.
/// </summary>
[TestClass]
public class CrashTests
{
    private const int Every = 5;
    private static readonly TimeSpan s_killPhase = TimeSpan.FromSeconds(30);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void KilledTrainingLeavesOnlyLoadableCheckpointsAndResumes()
    {
        var folder = CheckpointTestKit.NewFolder();
        int seed = Environment.TickCount;
        var rng = new Random(seed);
        var clock = Stopwatch.StartNew();
        long newest = 0;
        int kills = 0, checkpointsVerified = 0, interruptedWrites = 0;
        long worstLoss = 0;
        try
        {
            while (clock.Elapsed < s_killPhase || kills < 3)
            {
                var child = Child.Start(folder, maxSteps: 1_000_000);
                var firstStep = child.WaitFor(l => l.StartsWith("step ", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
                Assert.IsTrue(firstStep, $"the child did not start training (seed {seed}):\n{child.Output()}");
                Thread.Sleep(rng.Next(50, 1500));
                child.Kill();
                kills++;

                var lines = child.Lines;
                long resumed = Last(lines, "resumed ") ?? 0;
                Assert.AreEqual(newest, resumed, $"kill {kills} (seed {seed}): the child should resume from the newest checkpoint\n{child.Output()}");
                long lastStep = Last(lines, "step ") ?? resumed;
                foreach (var path in Directory.GetFiles(folder, "checkpoint-*.zip"))
                {
                    TrainingCheckpoint.Verify(path);
                    checkpointsVerified++;
                }
                newest = Directory.GetFiles(folder, "checkpoint-*.zip").Select(StepOf).DefaultIfEmpty(0).Max();
                int temporaries = Directory.GetFiles(folder, ".tmp-*").Length;
                interruptedWrites += temporaries;
                long lost = lastStep - newest;
                worstLoss = Math.Max(worstLoss, lost);
                Assert.IsTrue(lost >= 0 && lost <= Every, $"kill {kills} (seed {seed}): last step {lastStep}, newest checkpoint {newest}: {lost} steps lost, more than the interval of {Every}");
                TestContext.WriteLine($"kill {kills}: resumed at {resumed}, killed after step {lastStep}, newest checkpoint {newest} ({lost} steps lost), {temporaries} interrupted write(s) left");
            }

            long target = newest + 2 * Every + 1;
            var final = Child.Start(folder, target);
            Assert.IsTrue(final.WaitForExit(TimeSpan.FromSeconds(120)), $"the final resume did not finish:\n{final.Output()}");
            Assert.AreEqual(newest, Last(final.Lines, "resumed ") ?? 0, final.Output());
            Assert.AreEqual(target, Last(final.Lines, "done ") ?? -1, final.Output());
            Assert.AreEqual(newest + 1, First(final.Lines, "step "), "the resumed run continues with the step after the checkpoint");
            TestContext.WriteLine($"seed {seed}: {kills} kills ({interruptedWrites} during a checkpoint write) in {clock.Elapsed.TotalSeconds:F1} s, {checkpointsVerified} checkpoint loads, at most {worstLoss} steps lost; resumed to {target}");
        }
        finally
        {
            CheckpointTestKit.DeleteFolder(folder);
        }
    }

    private static long StepOf(string path) => long.Parse(Path.GetFileNameWithoutExtension(path)["checkpoint-".Length..]);

    private static long? Last(IEnumerable<string> lines, string prefix) =>
        lines.Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).Select(l => (long?)long.Parse(l[prefix.Length..])).LastOrDefault();

    private static long? First(IEnumerable<string> lines, string prefix) =>
        lines.Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).Select(l => (long?)long.Parse(l[prefix.Length..])).FirstOrDefault();

    private sealed class Child
    {
        private readonly Process _process;
        private readonly ConcurrentQueue<string> _lines = new();
        private readonly ConcurrentQueue<string> _errors = new();

        private Child(Process process) => _process = process;

        public IReadOnlyList<string> Lines => [.. _lines];

        public static Child Start(string folder, long maxSteps)
        {
            var dll = Path.Combine(AppContext.BaseDirectory, "CrashTrainer.dll");
            Assert.IsTrue(File.Exists(dll), $"{dll} is missing: the test project builds it through its ProjectReference");
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { dll, folder, maxSteps.ToString(), Every.ToString() }) info.ArgumentList.Add(a);
            var process = new Process { StartInfo = info };
            var child = new Child(process);
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) child._lines.Enqueue(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) child._errors.Enqueue(e.Data); };
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return child;
        }

        public bool WaitFor(Func<string, bool> line, TimeSpan timeout)
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < timeout)
            {
                if (_lines.Any(line)) return true;
                if (_process.HasExited) return _lines.Any(line);
                Thread.Sleep(10);
            }
            return false;
        }

        /// <summary>SIGKILL: no handler, finally block or flush runs in the child.</summary>
        public void Kill()
        {
            if (!_process.HasExited) _process.Kill();
            _process.WaitForExit(); // also drains the redirected output
        }

        public bool WaitForExit(TimeSpan timeout)
        {
            if (!_process.WaitForExit(timeout)) { Kill(); return false; }
            _process.WaitForExit();
            return _process.ExitCode == 0;
        }

        public string Output() => string.Join("\n", _lines.TakeLast(20).Concat(_errors));
    }
}
