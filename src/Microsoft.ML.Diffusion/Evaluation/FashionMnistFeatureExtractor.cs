using System.Security.Cryptography;
using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion.Evaluation;

/// <summary>
/// The default <see cref="IFeatureExtractor"/>: a small CNN trained on the Fashion-MNIST train split (weights
/// bundled in this assembly; see docs/quality.md for the command that reproduces them and their test accuracy).
/// Features are its 128-d penultimate activations; probabilities are its softmax over the 10 classes.
/// </summary>
public sealed class FashionMnistFeatureExtractor : IFeatureExtractor, IDisposable
{
    internal const string ResourceName = "Microsoft.ML.Diffusion.Resources.fashion-mnist-features.dat";

    // Rows per forward pass: large enough for efficient kernels, small enough to bound memory.
    private const int Chunk = 512;

    private readonly FashionMnistFeatureNet _network;
    private bool _disposed;

    private FashionMnistFeatureExtractor(FashionMnistFeatureNet network, byte[] weights)
    {
        _network = network;
        _network.eval();
        Name = $"fashion-mnist-cnn-v1/{Convert.ToHexStringLower(SHA256.HashData(weights))[..12]}";
    }

    /// <summary>The bundled network, with the weights embedded in this assembly.</summary>
    /// <exception cref="InvalidOperationException">This build was made without the weights file.</exception>
    public static FashionMnistFeatureExtractor LoadBundled()
    {
        using var stream = typeof(FashionMnistFeatureExtractor).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException(
                $"The assembly has no embedded resource '{ResourceName}': src/Microsoft.ML.Diffusion/Resources/fashion-mnist-features.dat was missing at build time. " +
                "Recreate it with 'dotnet run --project tools/FeatureNet -c Release -- train' (see docs/quality.md) and rebuild.");
        return Load(stream, $"embedded resource '{ResourceName}'");
    }

    /// <summary>The same network architecture with weights from a file written by the FeatureNet tool.</summary>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    public static FashionMnistFeatureExtractor LoadFromFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"No feature-network weights at '{path}'.", path);
        using var stream = File.OpenRead(path);
        return Load(stream, $"'{path}'");
    }

    private static FashionMnistFeatureExtractor Load(Stream stream, string source)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var bytes = buffer.ToArray();
        var network = new FashionMnistFeatureNet();
        try
        {
            network.load(new MemoryStream(bytes));
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or EndOfStreamException)
        {
            network.Dispose();
            throw new InvalidDataException($"The feature-network weights in {source} do not fit the Fashion-MNIST feature network: {e.Message}", e);
        }
        return new FashionMnistFeatureExtractor(network, bytes);
    }

    /// <summary>"fashion-mnist-cnn-v1/" and the first 12 hex digits of the weights' SHA-256.</summary>
    public string Name { get; }

    /// <summary>1: grayscale.</summary>
    public int ImageChannels => 1;

    /// <summary>28 pixels.</summary>
    public int ImageHeight => FashionMnist.ImageSize;

    /// <summary>28 pixels.</summary>
    public int ImageWidth => FashionMnist.ImageSize;

    /// <summary>128.</summary>
    public int FeatureDimension => FashionMnistFeatureNet.FeatureDimension;

    /// <summary>The 10 Fashion-MNIST classes.</summary>
    public int ClassCount => FashionMnistFeatureNet.ClassCount;

    /// <inheritdoc/>
    public ExtractedFeatures Extract(ReadOnlySpan<float> pixels, int count)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        const int size = FashionMnist.ImageSize * FashionMnist.ImageSize;
        if (count < 0 || pixels.Length != count * size)
            throw new ArgumentException($"Expected {count} images of 1×28×28 = {count * size} values, got {pixels.Length}.", nameof(pixels));
        var features = new double[count][];
        var probabilities = new double[count][];
        using var mode = inference_mode();
        for (int start = 0; start < count; start += Chunk)
        {
            int n = Math.Min(Chunk, count - start);
            using var scope = NewDisposeScope();
            var input = tensor(pixels.Slice(start * size, n * size).ToArray(), [n, 1, FashionMnist.ImageSize, FashionMnist.ImageSize]);
            var f = _network.Features(input);
            var p = _network.Classify(f).softmax(1);
            Unpack(f.to_type(ScalarType.Float64).data<double>().ToArray(), features, start, n, FeatureDimension);
            Unpack(p.to_type(ScalarType.Float64).data<double>().ToArray(), probabilities, start, n, ClassCount);
        }
        return new ExtractedFeatures(features, probabilities);
    }

    /// <summary>Predicted classes (0…9) of images laid out as for <see cref="Extract"/>.</summary>
    internal int[] Predict(ReadOnlySpan<float> pixels, int count)
    {
        var p = Extract(pixels, count).Probabilities!;
        return p.Select(row => Array.IndexOf(row, row.Max())).ToArray();
    }

    private static void Unpack(double[] flat, double[][] rows, int start, int n, int width)
    {
        for (int i = 0; i < n; i++) rows[start + i] = flat.AsSpan(i * width, width).ToArray();
    }

    /// <summary>Releases the network.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _network.Dispose();
    }
}
