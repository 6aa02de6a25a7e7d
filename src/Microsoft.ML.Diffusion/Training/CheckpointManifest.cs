using System.Globalization;
using System.Text.Json.Nodes;

namespace Microsoft.ML.Diffusion;

/// <summary>The scalar part of a checkpoint: where the run stands, the data it trains on and the network it builds.</summary>
/// <param name="Format">The checkpoint layout version.</param>
/// <param name="Step">Steps completed.</param>
/// <param name="Epoch">Epochs completed.</param>
/// <param name="Position">Index of the next batch in the epoch's permutation (0 when none is stored).</param>
/// <param name="EmaUpdates">EMA updates taken (sets the warmup decay).</param>
/// <param name="ElapsedSeconds">Training time so far.</param>
/// <param name="SmoothedLoss">The biased loss average.</param>
/// <param name="Images">Training images.</param>
/// <param name="Seed">The seed the run started with.</param>
/// <param name="Architecture">The U-Net, including the image size (null in a VAE's checkpoint).</param>
/// <param name="WrittenUtc">When the checkpoint was written.</param>
/// <param name="OptimizerSha256">SHA-256 (hex) of the Optimizer.bin entry.</param>
internal sealed record CheckpointManifest(
    int Format,
    long Step,
    int Epoch,
    long Position,
    long EmaUpdates,
    double ElapsedSeconds,
    double SmoothedLoss,
    long Images,
    int Seed,
    UNetArchitecture? Architecture,
    DateTime WrittenUtc,
    string OptimizerSha256)
{
    // 2: TorchSharp 0.107's optimizer state, with its hash (format 1 came from the earlier TorchSharp subset).
    public const int CurrentFormat = 2;

    /// <summary>The VAE of a VAE's checkpoint (then <see cref="Architecture"/> is null).</summary>
    public VaeArchitecture? VaeArchitecture { get; init; }

    /// <summary>The network the checkpoint holds.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public NetworkShape Network => new(Architecture, VaeArchitecture);

    /// <summary>The package that wrote the checkpoint ("Microsoft.ML.Diffusion 0.1.0"), named when a newer format is refused.</summary>
    public string? WrittenBy { get; init; }

    // Far above any data set held in memory; keeps the permutation check bounded.
    public const long MaxImages = 1L << 31;

    /// <summary>Refuses a newer format before its layout is parsed (which would fail with a less useful message).</summary>
    public static void CheckFormat(JsonObject manifest, string entry)
    {
        if (manifest["Format"] is JsonValue v && v.TryGetValue(out int format) && format > CurrentFormat)
            throw PackageVersion.NewerFormat($"Checkpoint entry '{entry}'", format.ToString(CultureInfo.InvariantCulture),
                CurrentFormat.ToString(CultureInfo.InvariantCulture), (manifest["WrittenBy"] as JsonValue)?.TryGetValue(out string? by) == true ? by : null);
    }

    public void Validate(string entry)
    {
        if (Format != CurrentFormat)
            throw new InvalidDataException($"Entry '{entry}' declares checkpoint format {Format}; this library reads format {CurrentFormat}" +
                (Format < CurrentFormat ? " (earlier checkpoints hold another optimizer format; start a new run)." : "."));
        if (OptimizerSha256 is not { Length: 64 } || !OptimizerSha256.All(char.IsAsciiHexDigit))
            throw new InvalidDataException($"Entry '{entry}' declares no valid optimizer hash (64 hex digits).");
        if (Step < 0 || Epoch < 0 || EmaUpdates < 0 || !(ElapsedSeconds >= 0) || !double.IsFinite(SmoothedLoss))
            throw new InvalidDataException($"Entry '{entry}' declares a negative or non-finite counter (step {Step}, epoch {Epoch}, EMA updates {EmaUpdates}, elapsed {ElapsedSeconds} s, loss {SmoothedLoss}).");
        if ((Architecture is null) == (VaeArchitecture is null))
            throw new InvalidDataException($"Entry '{entry}' must declare exactly one network (Architecture or VaeArchitecture).");
        if (Images is < 1 or > MaxImages)
            throw new InvalidDataException($"Entry '{entry}' declares {Images} training images (1…{MaxImages} accepted).");
        if (Position < 0 || Position > Images)
            throw new InvalidDataException($"Entry '{entry}' declares position {Position} in an epoch of {Images} images.");
    }
}
