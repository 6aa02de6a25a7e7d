using System.Diagnostics;
using Microsoft.ML.Diffusion.Experiments;
using Microsoft.ML.SearchSpace;

namespace Microsoft.ML.Diffusion.Tests;

/// <summary>A failure that every trial would repeat stops the experiment at once, with that error; it never runs to its time limit.</summary>
[TestClass]
public class ExperimentFailureTests
{
    // Each test caps the trials, so that code without the early stops fails the test instead of running for minutes.
    private const int TrialCap = 12;

    public sealed class MisspelledSpace
    {
        [Range(1e-3, 1e-2, logBase: true)]
        public double LearningRat = 2e-3;
    }

    public sealed class WrongTypeSpace
    {
        [Choice("small", "large")]
        public string BaseChannels = "small";
    }

    private sealed class TextRow
    {
        public string Name { get; set; } = "";
    }

    private static DiffusionExperimentOptions Options(Experiments.SearchSpace? space = null) => new()
    {
        BaseOptions = TinyData.Options(),
        SearchSpace = space,
        BudgetUnit = TrialBudgetUnit.Steps,
        MinTrialBudget = 1,
        MaxTrialBudget = 1,
        ValidationImages = 4,
        Seed = 1,
    };

    /// <summary>Creates and runs an experiment of at most <see cref="TrialCap"/> trials; returns what it threw and the trials it ran.</summary>
    private static (Exception error, int trials) Run(MLContext ml, IDataView train, IDataView validation, DiffusionExperimentOptions options)
    {
        int trials = 0;
        var clock = Stopwatch.StartNew();
        var error = Assert.Throws<Exception>(() =>
        {
            using var experiment = ml.Diffusion().CreateExperiment(train, validation, TimeSpan.FromMinutes(10), options);
            experiment.Experiment.SetMaxModelToExplore(TrialCap);
            try
            {
                experiment.RunAsync().GetAwaiter().GetResult();
            }
            finally
            {
                trials = experiment.Monitor.GetLeaderboardRows().Count;
            }
        });
        Assert.IsLessThan(TimeSpan.FromSeconds(60), clock.Elapsed);
        return (error, trials);
    }

    [TestMethod]
    public void AnEmptyValidationSetStopsTheExperimentBeforeAnyTrial()
    {
        var ml = new MLContext(1);
        var train = ml.Data.LoadFromEnumerable(TinyData.Rows(4).ToList());
        var empty = ml.Data.LoadFromEnumerable(new List<TinyData.Row>());
        var (e, trials) = Run(ml, train, empty, Options());
        Assert.IsInstanceOfType<ArgumentException>(e, e.ToString());
        Assert.AreEqual("validation", ((ArgumentException)e).ParamName);
        StringAssert.Contains(e.Message, "The validation data has no rows");
        StringAssert.Contains(e.Message, "'Image'");
        Assert.AreEqual(0, trials);
    }

    [TestMethod]
    public void AMissingTrainingColumnStopsTheExperimentBeforeAnyTrial()
    {
        var ml = new MLContext(1);
        var train = ml.Data.LoadFromEnumerable(new[] { new TextRow { Name = "a" } });
        var validation = ml.Data.LoadFromEnumerable(TinyData.Rows(4).ToList());
        var (e, trials) = Run(ml, train, validation, Options());
        Assert.IsInstanceOfType<ArgumentException>(e, e.ToString());
        Assert.AreEqual("train", ((ArgumentException)e).ParamName);
        StringAssert.Contains(e.Message, "The training data has no column 'Image'");
        StringAssert.Contains(e.Message, "'Name'");
        Assert.AreEqual(0, trials);
    }

    [TestMethod]
    public void BadValidationPixelsStopTheExperimentAtTheFirstTrialBeforeTraining()
    {
        var ml = new MLContext(1);
        var train = ml.Data.LoadFromEnumerable(TinyData.Rows(4).ToList());
        var rows = TinyData.Rows(4).ToList();
        rows[2].Image = (float[])rows[2].Image.Clone();
        rows[2].Image[3] = float.PositiveInfinity;
        var messages = new List<string>();
        ml.Log += (_, e) => messages.Add(e.RawMessage);
        var (e, trials) = Run(ml, train, ml.Data.LoadFromEnumerable(rows), Options());
        Assert.IsInstanceOfType<InvalidDataException>(e, e.ToString());
        StringAssert.Contains(e.Message, "validation data");
        StringAssert.Contains(e.Message, "Row 2 of input column 'Image'");
        Assert.AreEqual(1, trials);
        Assert.IsFalse(messages.Any(m => m.StartsWith("Training a U-Net", StringComparison.Ordinal)), "no trial trains before the validation data is read");
    }

    [TestMethod]
    public void AnUnknownSearchSpaceOptionIsRefusedWhenTheExperimentIsCreated()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(TinyData.Rows(4).ToList());
        var (e, trials) = Run(ml, data, data, Options(new SearchSpace<MisspelledSpace>()));
        Assert.IsInstanceOfType<ArgumentException>(e, e.ToString());
        StringAssert.Contains(e.Message, "'LearningRat'");
        StringAssert.Contains(e.Message, "LearningRate");
        StringAssert.Contains(e.Message, "BaseChannels");
        Assert.AreEqual(0, trials);
    }

    [TestMethod]
    public void ASearchSpaceValueOfTheWrongTypeIsRefusedWhenTheExperimentIsCreated()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(TinyData.Rows(4).ToList());
        var (e, trials) = Run(ml, data, data, Options(new SearchSpace<WrongTypeSpace>()));
        Assert.IsInstanceOfType<ArgumentException>(e, e.ToString());
        StringAssert.Contains(e.Message, "'BaseChannels'");
        StringAssert.Contains(e.Message, "Int32");
        Assert.AreEqual(0, trials);
    }

    [TestMethod]
    public void AnUnknownOptionAddedToARunningExperimentStopsItAtTheFirstTrial()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(TinyData.Rows(4).ToList());
        var options = new DiffusionExperimentOptions { BaseOptions = TinyData.Options(), BudgetUnit = TrialBudgetUnit.Steps, ValidationImages = 4, Seed = 1 };
        using var runner = new DiffusionTrialRunner(ml, data, data, options);
        var tuner = new SuccessiveHalvingTuner(new SearchSpace<MisspelledSpace>(), 1, 1);
        var e = Assert.ThrowsExactly<ArgumentException>(() =>
            new AutoMLExperiment(ml, new()).SetTuner(tuner).SetTrialRunner(runner).SetMaxModelToExplore(TrialCap).Run());
        StringAssert.Contains(e.Message, "'LearningRat'");
        StringAssert.Contains(e.Message, "LearningRate");
    }

    [TestMethod]
    public void ThreeIdenticalFailuresBeforeAnyCompletedTrialStopTheExperiment()
    {
        var ml = new MLContext(1);
        int calls = 0;
        var runner = new FailingRunner(() => { calls++; return new InvalidOperationException("the disk is full"); });
        var e = Assert.ThrowsExactly<InvalidOperationException>(() =>
            new AutoMLExperiment(ml, new()).SetTuner(new NumberingTuner()).SetTrialRunner(runner).SetMaxModelToExplore(1000).Run());
        Assert.AreEqual(3, calls);
        StringAssert.Contains(e.Message, "3 trials");
        StringAssert.Contains(e.Message, "the disk is full");
        Assert.IsInstanceOfType<InvalidOperationException>(e.InnerException);
        Assert.AreEqual("the disk is full", e.InnerException!.Message);
    }

    [TestMethod]
    public void DifferentFailuresDoNotStopTheExperimentEarly()
    {
        var ml = new MLContext(1);
        int calls = 0;
        var runner = new FailingRunner(() => new InvalidOperationException($"failure {calls++ % 2}"));
        var e = Assert.ThrowsExactly<TimeoutException>(() =>
            new AutoMLExperiment(ml, new()).SetTuner(new NumberingTuner()).SetTrialRunner(runner).SetMaxModelToExplore(6).Run());
        Assert.AreEqual(6, calls);
        StringAssert.Contains(e.Message, "6 trial(s) failed");
    }

    private sealed class NumberingTuner : ITuner
    {
        public Parameter Propose(TrialSettings settings) => Parameter.CreateNestedParameter(KeyValuePair.Create("id", Parameter.FromInt(settings.TrialId)));

        public void Update(TrialResult result) { }
    }

    private sealed class FailingRunner(Func<Exception> error) : ITrialRunner
    {
        public Task<TrialResult> RunAsync(TrialSettings settings, CancellationToken ct) => throw error();

        public void Dispose() { }
    }
}
