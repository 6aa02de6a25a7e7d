namespace Microsoft.ML.Diffusion.Tools;

/// <summary>A Fashion-MNIST split as intensities in [0, 1] (N × 784) and labels.</summary>
internal sealed record FashionMnistArrays(float[] Pixels, byte[] Labels)
{
    public const int ImagePixels = FashionMnist.ImageSize * FashionMnist.ImageSize;

    public int Count => Labels.Length;

    public static FashionMnistArrays Load(string? directory, FashionMnistSplit split)
    {
        directory ??= FashionMnist.DefaultDirectory;
        string prefix = split == FashionMnistSplit.Train ? "train" : "t10k";
        var bytes = IdxReader.ReadImages(Path.Combine(directory, $"{prefix}-images-idx3-ubyte.gz"), FashionMnist.ImageSize, out _);
        var labels = IdxReader.ReadLabels(Path.Combine(directory, $"{prefix}-labels-idx1-ubyte.gz"));
        return new FashionMnistArrays(bytes.Select(b => b / 255f).ToArray(), labels);
    }

    public ReadOnlySpan<float> Images(int start, int count) => Pixels.AsSpan(start * ImagePixels, count * ImagePixels);
}
