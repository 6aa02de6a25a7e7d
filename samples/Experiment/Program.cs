// The experiment sample:
//   dotnet run --project samples/Experiment -c Release -- [--minutes 20] [--compare-default]
// Sweeps DiffusionEstimator options on Fashion-MNIST with successive halving under a wall-clock budget, prints the
// leaderboard, saves the best model and writes its DDIM-50 sample grid. --help lists the options.

using System.CommandLine;
using ExperimentSample;

var minutes = new Option<double>("--minutes") { Description = "The experiment's wall-clock budget in minutes.", DefaultValueFactory = _ => 20 };
var rungs = new Option<int>("--rungs") { Description = "Successive-halving rungs (η = 3: 9, 3, 1 configurations for 3 rungs).", DefaultValueFactory = _ => 3 };
var validation = new Option<int>("--validation-images") { Description = "Test-split images the validation loss is computed on.", DefaultValueFactory = _ => 500 };
var limit = new Option<int?>("--limit") { Description = "Train on the first N training images only (quick runs)." };
var seed = new Option<int>("--seed") { Description = "Seed of the tuner, the validation noise and every trial's training.", DefaultValueFactory = _ => 1 };
var output = new Option<string>("--output", "-o") { Description = "Folder for best-model.zip, samples.png and leaderboard.csv.", DefaultValueFactory = _ => "out/experiment" };
var compare = new Option<bool>("--compare-default")
{
    Description = "After the sweep, also train the package's default options for the winner's budget and score them the same way (takes that much longer).",
};
var overhead = new Option<double>("--trial-overhead")
{
    Description = "Seconds a trial spends outside training (data, scoring, checkpoints), used to size the trial budgets.",
    DefaultValueFactory = _ => 30,
};
var data = new Option<string?>("--data") { Description = $"Folder with the Fashion-MNIST .gz files (default {Microsoft.ML.Diffusion.FashionMnist.DefaultDirectory})." };

var root = new RootCommand("Sweeps diffusion options on Fashion-MNIST with successive halving under a time budget and reports a leaderboard.")
{
    minutes, rungs, validation, limit, seed, output, compare, overhead, data,
};
root.SetAction(parsed => new ExperimentRun(new ExperimentSettings(
    TimeSpan.FromMinutes(parsed.GetValue(minutes)), parsed.GetValue(rungs), parsed.GetValue(validation), parsed.GetValue(limit),
    parsed.GetValue(seed), parsed.GetValue(output)!, parsed.GetValue(compare),
    TimeSpan.FromSeconds(parsed.GetValue(overhead)), parsed.GetValue(data))).Run());
return root.Parse(args).Invoke();
