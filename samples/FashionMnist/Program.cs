// The Fashion-MNIST demo: ./build.sh demo [options], or
//   dotnet run --project samples/FashionMnist -c Release -- [options]
// Trains a DDPM through mlContext.Transforms.Diffusion(...) for a time budget, saves model.zip, generates
// an 8×8 grid with DPM-Solver++ (20 steps) from the EMA weights and draws the loss curve. --help lists the options.
// --conditional trains on the labels too and draws one labelled row per class, guided by --guidance.
// --vae trains a variational autoencoder instead, for the comparison in docs/quality.md.

using System.CommandLine;
using System.CommandLine.Parsing;
using FashionMnistDemo;
using Microsoft.ML.Diffusion;

var minutes = new Option<double>("--minutes")
{
    Description = "Training time budget in minutes (training stops at the budget, or at --steps, or on Ctrl+C).",
    DefaultValueFactory = _ => 10,
};
minutes.Validators.Add(r => Positive<double>(r, r.GetValueOrDefault<double>()));
var steps = new Option<int?>("--steps") { Description = "Also stop after this many optimisation steps (for quick runs)." };
steps.Validators.Add(r => Positive(r, r.GetValueOrDefault<int?>()));
var preset = new Option<string>("--preset")
{
    Description = "Model configuration: 'default' (the package's CPU-sized defaults) or 'fmnist-s' (the larger benchmark U-Net: base 64, 2 res blocks per level, batch 128, lr 2e-4).",
    DefaultValueFactory = _ => DemoSettings.DefaultPreset,
};
preset.AcceptOnlyFromAmong(DemoSettings.Presets);
var baseChannels = new Option<int?>("--base-channels") { Description = "Channels at the first U-Net level (overrides the preset)." };
baseChannels.Validators.Add(r => Positive(r, r.GetValueOrDefault<int?>()));
var batchSize = new Option<int?>("--batch-size") { Description = "Images per training step (overrides the preset)." };
batchSize.Validators.Add(r => Positive(r, r.GetValueOrDefault<int?>()));
var learningRate = new Option<double?>("--learning-rate") { Description = "Peak Adam learning rate (overrides the preset)." };
learningRate.Validators.Add(r => Positive(r, r.GetValueOrDefault<double?>()));
var limit = new Option<int?>("--limit") { Description = "Train on the first N training images only (quick runs)." };
limit.Validators.Add(r => Positive(r, r.GetValueOrDefault<int?>()));
var data = new Option<string?>("--data") { Description = $"Folder with the Fashion-MNIST .gz files (default {Microsoft.ML.Diffusion.FashionMnist.DefaultDirectory}, apt package {Microsoft.ML.Diffusion.FashionMnist.AptPackage})." };
var output = new Option<string>("--output", "-o")
{
    Description = "Folder for model.zip, samples.png and loss.svg (created if missing).",
    DefaultValueFactory = _ => "out/fashion-mnist",
};
var seed = new Option<int>("--seed") { Description = "Seed of training and of the sampled images.", DefaultValueFactory = _ => 1 };
var sampleOnly = new Option<string?>("--sample-only") { Description = "Skip training: load this model.zip and write samples.png (and loss.svg from its history)." };
var samples = new Option<int>("--samples") { Description = "Images to generate into the grid (8 per row).", DefaultValueFactory = _ => 64 };
samples.Validators.Add(r => Positive<int>(r, r.GetValueOrDefault<int>()));
var samplingSteps = new Option<int?>("--sampling-steps") { Description = "Sampler steps (network calls) per image (default: 20 for dpm-solver++, 50 for ddim)." };
samplingSteps.Validators.Add(r => Positive(r, r.GetValueOrDefault<int?>()));
var fdSamples = new Option<int>("--fd-samples") { Description = "Images generated to measure the Fréchet distance against the test split (0 skips it).", DefaultValueFactory = _ => 1000 };
fdSamples.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 0 or 1) r.AddError("--fd-samples must be 0 (skip) or at least 2."); });
var bpdImages = new Option<int>("--bpd-images") { Description = "Test images scored by the variational bound in bits/dim (0 skips it).", DefaultValueFactory = _ => 256 };
bpdImages.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 0 or 1) r.AddError("--bpd-images must be 0 (skip) or at least 2."); });
var bpdTimesteps = new Option<int>("--bpd-timesteps") { Description = "Timesteps sampled per image (stratified) for the bound; 0 evaluates all T of them.", DefaultValueFactory = _ => 50 };
bpdTimesteps.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 0) r.AddError("--bpd-timesteps must be 0 (every timestep) or positive."); });
var precision = new Option<SamplingPrecision>("--precision") { Description = "The network's number format while sampling: Float32, or BFloat16 (faster on CPUs with AVX512-BF16).", DefaultValueFactory = _ => SamplingPrecision.Float32 };
var trainingPrecision = new Option<TrainingPrecision>("--training-precision") { Description = "The network's number format while training: Float32, or BFloat16 (float32 master weights and Adam; forward and backward in bfloat16).", DefaultValueFactory = _ => TrainingPrecision.Float32 };
var resume = new Option<bool>("--resume") { Description = "Continue from the newest checkpoint in <output>/checkpoints (written every 5 minutes and when training stops); starts afresh when there is none. --minutes is the total budget across resumes." };
var conditional = new Option<bool>("--conditional") { Description = "Train on the class labels too (class-conditional, with 10 % of labels dropped for guidance) and draw one labelled grid row per class." };
var guidance = new Option<double>("--guidance") { Description = $"Classifier-free guidance scale of a conditional model (1 = none; docs/quality.md compares scales).", DefaultValueFactory = _ => DemoSettings.DefaultGuidance };
guidance.Validators.Add(r => { if (r.GetValueOrDefault<double>() is not (>= 0 and <= 100)) r.AddError($"--guidance must be in [0, 100]; got {r.GetValueOrDefault<double>()}."); });
var sampler = new Option<string>("--sampler") { Description = "Sampler: 'ddim' (deterministic DDIM) or 'dpm-solver++' (DPM-Solver++(2M), good at 10–20 steps).", DefaultValueFactory = _ => DemoSettings.DpmSolver };
sampler.AcceptOnlyFromAmong(DemoSettings.Samplers);
var vae = new Option<bool>("--vae") { Description = "Train a variational autoencoder instead (same budget and data) and write vae-model.zip, vae-samples.png and vae-reconstructions.png with its FD and bits/dim." };
var plain = new Option<bool>("--plain") { Description = "Log lines instead of a live progress bar (the default when output is not a terminal)." };

var root = new RootCommand("Trains a DDPM on Fashion-MNIST with Microsoft.ML.Diffusion, then samples an 8×8 grid with DPM-Solver++ from the EMA weights (--vae: a VAE instead).")
{
    minutes, steps, preset, baseChannels, batchSize, learningRate, limit, data, output, seed, sampleOnly, samples, samplingSteps, fdSamples, bpdImages, bpdTimesteps, precision, resume, plain,
    conditional, trainingPrecision, guidance, sampler, vae,
};
Option[] trainingOnly = [minutes, steps, preset, baseChannels, batchSize, learningRate, limit, data, resume, conditional, trainingPrecision];
root.Validators.Add(r =>
{
    if (r.GetResult(sampleOnly) is null) return;
    var given = trainingOnly.Where(o => r.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToList();
    if (given.Count > 0)
        r.AddError($"--sample-only samples from a saved model; {string.Join(", ", given)} {(given.Count == 1 ? "applies" : "apply")} only to training.");
});
root.Validators.Add(r =>
{
    // A saved model knows whether it is conditional; a model about to be trained is conditional only with --conditional.
    if (r.GetResult(sampleOnly) is null && r.GetResult(guidance) is { Implicit: false } && r.GetResult(conditional) is not { Implicit: false })
        r.AddError("--guidance applies only to class-conditional models; add --conditional (or pass --sample-only with a conditional model).");
});

root.Validators.Add(r =>
{
    if (r.GetResult(vae) is not { Implicit: false }) return;
    Option[] diffusionOnly = [sampleOnly, preset, conditional, guidance, sampler, samplingSteps, precision, resume, bpdTimesteps, trainingPrecision];
    var given = diffusionOnly.Where(o => r.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToList();
    if (given.Count > 0) r.AddError($"--vae trains a VAE; {string.Join(", ", given)} {(given.Count == 1 ? "applies" : "apply")} only to the diffusion model.");
});

root.SetAction(parsed => parsed.GetValue(vae) ? new VaeDemoRun(Settings(parsed)).Run() : new DemoRun(Settings(parsed)).Run());

return root.Parse(args).Invoke();

DemoSettings Settings(ParseResult parsed) => new()
{
    Minutes = parsed.GetValue(minutes),
    MaxSteps = parsed.GetValue(steps),
    Preset = parsed.GetValue(preset)!,
    BaseChannels = parsed.GetValue(baseChannels),
    BatchSize = parsed.GetValue(batchSize),
    LearningRate = parsed.GetValue(learningRate),
    Limit = parsed.GetValue(limit),
    DataDirectory = parsed.GetValue(data),
    Output = parsed.GetValue(output)!,
    Seed = parsed.GetValue(seed),
    SampleOnly = parsed.GetValue(sampleOnly),
    Samples = parsed.GetValue(samples),
    FdSamples = parsed.GetValue(fdSamples),
    BpdImages = parsed.GetValue(bpdImages),
    BpdTimesteps = parsed.GetValue(bpdTimesteps),
    Precision = parsed.GetValue(precision),
    TrainingPrecision = parsed.GetValue(trainingPrecision),
    Resume = parsed.GetValue(resume),
    SamplingSteps = parsed.GetValue(samplingSteps) ?? (parsed.GetValue(sampler) == DemoSettings.Ddim ? 50 : 20),
    Plain = parsed.GetValue(plain),
    Conditional = parsed.GetValue(conditional),
    Guidance = parsed.GetValue(guidance),
    Sampler = parsed.GetValue(sampler)!,
};

static void Positive<T>(OptionResult result, T? value) where T : struct, IComparable<T>
{
    if (value is T v && v.CompareTo(default) <= 0)
        result.AddError($"{result.Option.Name} must be positive; got {v}.");
}
