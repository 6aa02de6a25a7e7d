using Microsoft.ML.Diffusion.Experiments;
using Microsoft.ML.SearchSpace;

namespace Microsoft.ML.Diffusion.Tests;

[TestClass]
public sealed class AutoMLExperimentTests
{
    [TestMethod]
    public async Task AFailingTrialDoesNotStopTheExperiment()
    {
        var ml = new MLContext(seed: 1);
        var monitor = new RecordingMonitor();
        var runner = new ScriptedRunner(id => id == 0 ? throw new OutOfMemoryException("trial 0 ran out") : 10.0 - id);
        var tuner = new CountingTuner();
        var best = await new AutoMLExperiment(ml, new()).SetTuner(tuner).SetTrialRunner(runner).SetMonitor(monitor).SetMaxModelToExplore(4).RunAsync();

        Assert.AreEqual(3, best.TrialSettings.TrialId, "the lowest loss wins");
        CollectionAssert.AreEqual(new[] { 0, 1, 2, 3 }, monitor.Running);
        CollectionAssert.AreEqual(new[] { 0 }, monitor.Failed.Select(f => f.id).ToArray());
        StringAssert.Contains(monitor.Failed[0].error!.Message, "ran out");
        Assert.AreEqual(double.MaxValue, tuner.Losses[0], "the tuner hears of the failure");
    }

    [TestMethod]
    public async Task CancellationReturnsTheBestTrialSoFar()
    {
        var ml = new MLContext(seed: 1);
        using var cts = new CancellationTokenSource();
        var monitor = new RecordingMonitor();
        var runner = new ScriptedRunner(id => id < 2 ? 5.0 - id : double.NaN) { WaitForCancellationFrom = 2, OnStart = id => { if (id == 2) cts.Cancel(); } };
        var best = await new AutoMLExperiment(ml, new()).SetTuner(new CountingTuner()).SetTrialRunner(runner).SetMonitor(monitor).RunAsync(cts.Token);

        Assert.AreEqual(1, best.TrialSettings.TrialId);
        Assert.AreEqual(2, monitor.Failed.Single().id, "the running trial is stopped and reported");
        Assert.IsInstanceOfType<OperationCanceledException>(monitor.Failed.Single().error);
    }

    [TestMethod]
    public async Task NoCompletedTrialIsATimeout()
    {
        var ml = new MLContext(seed: 1);
        var runner = new ScriptedRunner(_ => throw new InvalidOperationException("diverged"));
        var e = await Assert.ThrowsExactlyAsync<TimeoutException>(() =>
            new AutoMLExperiment(ml, new()).SetTuner(new CountingTuner()).SetTrialRunner(runner).SetMaxModelToExplore(2).RunAsync());
        StringAssert.Contains(e.Message, "diverged");
    }

    [TestMethod]
    public void MissingPartsAreNamed()
    {
        var ml = new MLContext(seed: 1);
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => new AutoMLExperiment(ml, new()).SetTuner(new CountingTuner()).Run());
        StringAssert.Contains(e.Message, "SetTrialRunner");
    }

    [TestMethod]
    public void TunerFactoriesSeeTheSeedAndTheData()
    {
        var ml = new MLContext(seed: 5);
        var data = ml.Data.LoadFromEnumerable(new[] { new Row { X = 1 } });
        int? seen = null;
        ITrainValidateDatasetManager? dataset = null;
        new AutoMLExperiment(ml, new()).SetDataset(data, data).SetSeed(42).SetMaxModelToExplore(1)
            .SetTuner(services =>
            {
                seen = ((AutoMLExperiment.AutoMLExperimentSettings)services.GetService(typeof(AutoMLExperiment.AutoMLExperimentSettings))!).Seed;
                return new CountingTuner();
            })
            .SetTrialRunner(services =>
            {
                dataset = (ITrainValidateDatasetManager?)services.GetService(typeof(ITrainValidateDatasetManager));
                return new ScriptedRunner(_ => 1);
            })
            .Run();
        Assert.AreEqual(42, seen);
        Assert.AreSame(data, dataset!.LoadValidateDataset(ml, null));
    }

    private sealed class Row
    {
        public float X { get; set; }
    }

    private sealed class CountingTuner : ITuner
    {
        public Dictionary<int, double> Losses { get; } = new();

        public Parameter Propose(TrialSettings settings) => Parameter.CreateNestedParameter(KeyValuePair.Create("id", Parameter.FromInt(settings.TrialId)));

        public void Update(TrialResult result) => Losses[result.TrialSettings.TrialId] = result.Loss;
    }

    private sealed class ScriptedRunner(Func<int, double> loss) : ITrialRunner
    {
        public int WaitForCancellationFrom { get; init; } = int.MaxValue;

        public Action<int>? OnStart { get; init; }

        public async Task<TrialResult> RunAsync(TrialSettings settings, CancellationToken ct)
        {
            OnStart?.Invoke(settings.TrialId);
            if (settings.TrialId >= WaitForCancellationFrom) await Task.Delay(Timeout.Infinite, ct);
            double value = loss(settings.TrialId);
            return new TrialResult { TrialSettings = settings, Loss = value, Metric = value };
        }

        public void Dispose() { }
    }

    private sealed class RecordingMonitor : IMonitor
    {
        public List<int> Running { get; } = new();

        public List<(int id, Exception? error)> Failed { get; } = new();

        public void ReportRunningTrial(TrialSettings settings) => Running.Add(settings.TrialId);

        public void ReportCompletedTrial(TrialResult result) { }

        public void ReportBestTrial(TrialResult result) { }

        public void ReportFailTrial(TrialSettings settings, Exception? exception = null) => Failed.Add((settings.TrialId, exception));
    }
}
