using Microsoft.ML.Diffusion.Experiments;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.SearchSpace;

namespace Microsoft.ML.Diffusion.Tests;

[TestClass]
public class ExperimentTests
{
    public sealed class TinySpace
    {
        [Choice(4, 8)]
        public int BaseChannels = 8;

        [Range(1e-3, 1e-2, logBase: true)]
        public double LearningRate = 2e-3;
    }

    [TestMethod]
    public void TunerPromotesTheBestThirdAndMultipliesTheBudget()
    {
        var tuner = new SuccessiveHalvingTuner(new SearchSpace<TinySpace>(), minBudget: 10, maxBudget: 90, reductionFactor: 3, seed: 7);
        CollectionAssert.AreEqual(new[] { 10.0, 30.0, 90.0 }, tuner.RungBudgets.ToArray());
        Assert.AreEqual(9, tuner.ConfigurationsPerBracket);
        Assert.AreEqual(3, tuner.ConfigurationsAtRung(1));
        Assert.AreEqual(1, tuner.ConfigurationsAtRung(2));

        int trial = 0;
        (int configuration, int rung, double budget, bool final) Next(Func<int, double> loss)
        {
            var settings = new TrialSettings { TrialId = trial++ };
            var p = tuner.Propose(settings);
            var proposal = (p[SuccessiveHalvingTuner.ConfigurationKey].AsType<int>(), p[SuccessiveHalvingTuner.RungKey].AsType<int>(),
                p[SuccessiveHalvingTuner.BudgetKey].AsType<double>(), p[SuccessiveHalvingTuner.FinalRungKey].AsType<bool>());
            tuner.Update(new TrialResult { TrialSettings = settings, Loss = loss(proposal.Item1) });
            return proposal;
        }

        // Rung 0: nine new configurations; configuration 4 fails and must never go on.
        var rung0 = Enumerable.Range(0, 9).Select(_ => Next(c => c == 4 ? double.MaxValue : (c * 7) % 9)).ToList();
        CollectionAssert.AreEqual(Enumerable.Range(0, 9).ToArray(), rung0.Select(r => r.configuration).ToArray());
        Assert.IsTrue(rung0.All(r => r.rung == 0 && r.budget == 10 && !r.final));

        // Losses 0 (c0), 2 (c8), 3 (c3) are the best three; they go on with three times the budget.
        var losses1 = new Dictionary<int, double> { [0] = 0.5, [3] = 0.2, [8] = 0.9 };
        var rung1 = Enumerable.Range(0, 3).Select(_ => Next(c => losses1[c])).ToList();
        CollectionAssert.AreEqual(new[] { 0, 3, 8 }, rung1.Select(r => r.configuration).ToArray());
        Assert.IsTrue(rung1.All(r => r.rung == 1 && r.budget == 30 && !r.final));

        var rung2 = Next(_ => 0.1);
        Assert.AreEqual((3, 2, 90.0, true), rung2);

        var nextBracket = Next(_ => 1);
        Assert.AreEqual((9, 0, 10.0, false), nextBracket, "a new bracket samples new configurations");
    }

    [TestMethod]
    public void TunerIsDeterministicUnderASeed()
    {
        static string[] Proposals(int seed)
        {
            var tuner = new SuccessiveHalvingTuner(new SearchSpace<DiffusionSearchSpace>(), 1, 9, 3, seed);
            return Enumerable.Range(0, 9).Select(i => tuner.Propose(new TrialSettings { TrialId = i }).ToString()).ToArray();
        }
        CollectionAssert.AreEqual(Proposals(5), Proposals(5));
        CollectionAssert.AreNotEqual(Proposals(5), Proposals(6));
    }

    [TestMethod]
    public void DiffusionSearchSpaceSamplesAreValidOptions()
    {
        var space = new SearchSpace<DiffusionSearchSpace>();
        var random = new Random(1);
        for (int i = 0; i < 200; i++)
        {
            var p = space.SampleFromFeatureSpace(Enumerable.Range(0, space.FeatureSpaceDim).Select(_ => random.NextDouble()).ToArray());
            var o = TrialOptions.Create(new DiffusionEstimator.Options(), Parameter.FromObject(p));
            Assert.IsTrue(o.LearningRate is >= 1e-4 and <= 3e-3, $"learning rate {o.LearningRate}");
            CollectionAssert.Contains(new[] { 16, 32, 48, 64 }, o.BaseChannels);
            Assert.IsTrue(o.ResBlocksPerLevel is 1 or 2);
            new UNetArchitecture(1, 28, 28, o.BaseChannels, o.ChannelMultipliers, o.ResBlocksPerLevel, o.AttentionResolutions, o.Dropout,
                o.GroupNormGroups, o.TimeEmbeddingWidth).Validate();
        }
    }

    [TestMethod]
    public void LeaderboardHasOneRowPerTrialAndIsDeterministic()
    {
        var (rows, schema, messages) = RunTinyExperiment(seed: 3);
        Assert.AreEqual(5, rows.Count);
        string[] columns = ["TrialId", "Configuration", "Rung", "Parameters", "Budget", "BudgetUnit", "TrainedSteps", "TrainingSeconds", "Metric", "Status", "Reason", "DurationSeconds"];
        CollectionAssert.AreEqual(columns, schema.Select(c => c.Name).ToArray());
        Assert.AreEqual(NumberDataViewType.Double, schema["Metric"].Type);
        Assert.AreEqual(TextDataViewType.Instance, schema["Status"].Type);

        var byTrial = rows.OrderBy(r => r.TrialId).ToList();
        Assert.IsTrue(byTrial.Take(3).All(r => r.Rung == 0 && r.Budget == 3), "rung 0: three configurations at 3 steps");
        Assert.AreEqual(1, byTrial.Take(3).Count(r => r.Reason == "promoted to rung 1"));
        Assert.AreEqual(2, byTrial.Take(3).Count(r => r.Status == "StoppedEarly" && r.Reason == "not promoted past rung 0"));
        var top = byTrial[3];
        Assert.AreEqual((1, 9.0, 9L, "Finished"), (top.Rung, top.Budget, top.TrainedSteps, top.Status), "the promoted configuration resumes to 9 steps in all");
        Assert.AreEqual(byTrial.Take(3).Single(r => r.Reason.StartsWith("promoted", StringComparison.Ordinal)).Configuration, top.Configuration);
        Assert.AreEqual((0, "Finished"), (byTrial[4].Rung, byTrial[4].Status), "a new bracket starts");
        Assert.IsTrue(rows.All(r => double.IsFinite(r.Metric) && r.Metric > 0));
        Assert.IsTrue(messages.Any(m => m.Contains("rung 1", StringComparison.Ordinal)), string.Join("\n", messages));
        Assert.IsTrue(messages.Any(m => m.StartsWith("Trial 4 finished", StringComparison.Ordinal)), string.Join("\n", messages));

        var again = RunTinyExperiment(seed: 3).rows.OrderBy(r => r.TrialId).ToList();
        for (int i = 0; i < 5; i++)
            Assert.AreEqual((byTrial[i].Parameters, byTrial[i].Metric, byTrial[i].TrainedSteps), (again[i].Parameters, again[i].Metric, again[i].TrainedSteps), $"trial {i}");
    }

    [TestMethod]
    public async Task AFailingTrialIsRecordedAndTheExperimentGoesOn()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(TinyData.Rows(4).ToList());
        var options = new DiffusionExperimentOptions { BaseOptions = TinyData.Options(), BudgetUnit = TrialBudgetUnit.Steps, ValidationImages = 4, Seed = 1 };
        using var runner = new DiffusionTrialRunner(ml, data, data, options);
        var monitor = new LeaderboardMonitor(ml, TrialBudgetUnit.Steps);
        // BaseChannels 8 cannot be split into 3 GroupNorm groups: Fit throws before training.
        var tuner = new FixedTuner(Parameter.CreateNestedParameter(KeyValuePair.Create("GroupNormGroups", Parameter.FromInt(3))),
                                   Parameter.CreateNestedParameter(KeyValuePair.Create("GroupNormGroups", Parameter.FromInt(4))));
        var best = await new AutoMLExperiment(ml, new()).SetTuner(tuner).SetTrialRunner(runner).SetMonitor(monitor).SetMaxModelToExplore(2).RunAsync();

        Assert.AreEqual(1, best.TrialSettings.TrialId);
        var rows = monitor.GetLeaderboardRows();
        Assert.AreEqual(2, rows.Count);
        var failed = rows.Single(r => r.TrialId == 0);
        Assert.AreEqual("Failed", failed.Status);
        StringAssert.Contains(failed.Reason, "GroupNorm");
        Assert.IsTrue(double.IsNaN(failed.Metric));
        Assert.AreEqual("Finished", rows.Single(r => r.TrialId == 1).Status);
        Assert.AreEqual(1, rows[0].TrialId, "the scored trial ranks first");
    }

    private static (List<LeaderboardRow> rows, DataViewSchema schema, List<string> messages) RunTinyExperiment(int seed)
    {
        var ml = new MLContext(seed: 1);
        var messages = new List<string>();
        ml.Log += (_, e) => { if (e.Kind >= ChannelMessageKind.Info && e.Source.StartsWith("DiffusionExperiment", StringComparison.Ordinal)) messages.Add(e.RawMessage); };
        var train = ml.Data.LoadFromEnumerable(TinyData.Rows(6).ToList());
        var validation = ml.Data.LoadFromEnumerable(TinyData.Rows(4).ToList());
        var options = new DiffusionExperimentOptions
        {
            BaseOptions = TinyData.Options(),
            SearchSpace = new SearchSpace<TinySpace>(),
            BudgetUnit = TrialBudgetUnit.Steps,
            MinTrialBudget = 3,
            MaxTrialBudget = 9,
            ValidationImages = 4,
            Seed = seed,
        };
        using var experiment = ml.Diffusion().CreateExperiment(train, validation, TimeSpan.FromMinutes(10), options);
        experiment.Experiment.SetMaxModelToExplore(5);
        var result = experiment.RunAsync().GetAwaiter().GetResult();
        using var model = result.BestModel;
        var rows = ml.Data.CreateEnumerable<LeaderboardRow>(result.Leaderboard, reuseRowObject: false).ToList();
        return (rows, result.Leaderboard.Schema, messages);
    }

    private sealed class FixedTuner(params Parameter[] proposals) : ITuner
    {
        public Parameter Propose(TrialSettings settings) => proposals[settings.TrialId];

        public void Update(TrialResult result) { }
    }
}
