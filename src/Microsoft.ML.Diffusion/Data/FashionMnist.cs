namespace Microsoft.ML.Diffusion;

/// <summary>Which Fashion-MNIST split to read.</summary>
public enum FashionMnistSplit
{
    /// <summary>The 60,000 training images (train-*.gz).</summary>
    Train,

    /// <summary>The 10,000 test images (t10k-*.gz).</summary>
    Test,
}

/// <summary>How the image column of <see cref="FashionMnist.Load"/> is typed.</summary>
public enum FashionMnistImageKind
{
    /// <summary>An 8-bit grayscale <see cref="Data.MLImage"/> of type <c>Image&lt;28, 28&gt;</c> (saves as a 1-channel PNG).</summary>
    Image,

    /// <summary>A <c>Vector&lt;Single, 1, 28, 28&gt;</c> of raw pixel values 0…255, the layout ExtractPixels produces for one plane.</summary>
    Vector,
}

/// <summary>
/// Reads Fashion-MNIST's gzipped IDX files into an <see cref="IDataView"/> with a <c>UInt32</c> label column
/// (0…9) and an image column. This is a dataset helper of the diffusion package, not an ML.NET API. By default it
/// reads the Debian location <see cref="DefaultDirectory"/> (apt package <see cref="AptPackage"/>).
/// </summary>
/// <example>
/// <code>IDataView train = FashionMnist.Load(mlContext, FashionMnistSplit.Train);</code>
/// </example>
public static class FashionMnist
{
    /// <summary>Where the apt package installs the files.</summary>
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>The apt package that provides the files.</summary>
    public const string AptPackage = "dataset-fashion-mnist";

    /// <summary>The side of an image in pixels.</summary>
    public const int ImageSize = 28;

    /// <summary>The names of labels 0…9, as the dataset's authors give them.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>Loads a split into memory and returns it as a view with <paramref name="labelColumnName"/> and <paramref name="imageColumnName"/>.</summary>
    /// <param name="mlContext">The context (reserved for logging; the data itself does not depend on it).</param>
    /// <param name="split">Train (60,000 rows) or Test (10,000 rows).</param>
    /// <param name="directory">The folder with the four .gz files; null for <see cref="DefaultDirectory"/>.</param>
    /// <param name="imageKind">Whether images come as <see cref="Data.MLImage"/> or as a Single vector.</param>
    /// <param name="imageColumnName">The image column name.</param>
    /// <param name="labelColumnName">The label column name.</param>
    /// <exception cref="FileNotFoundException">A file is missing; the message names it and the apt package.</exception>
    /// <exception cref="InvalidDataException">A file is not a valid IDX file of the expected kind, or the counts disagree.</exception>
    public static IDataView Load(MLContext mlContext, FashionMnistSplit split, string? directory = null,
        FashionMnistImageKind imageKind = FashionMnistImageKind.Image, string imageColumnName = "Image", string labelColumnName = "Label")
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        if (string.IsNullOrEmpty(imageColumnName))
            throw new ArgumentOutOfRangeException(nameof(imageColumnName), "imageColumnName cannot be null or empty");
        if (string.IsNullOrEmpty(labelColumnName) || labelColumnName == imageColumnName)
            throw new ArgumentOutOfRangeException(nameof(labelColumnName), "labelColumnName must be non-empty and differ from imageColumnName");
        if (!Enum.IsDefined(split))
            throw new ArgumentOutOfRangeException(nameof(split), $"Unknown split {(int)split}.");
        if (!Enum.IsDefined(imageKind))
            throw new ArgumentOutOfRangeException(nameof(imageKind), $"Unknown image kind {(int)imageKind}.");
        directory ??= DefaultDirectory;
        string prefix = split == FashionMnistSplit.Train ? "train" : "t10k";
        string imagesPath = Path.Combine(directory, $"{prefix}-images-idx3-ubyte.gz");
        string labelsPath = Path.Combine(directory, $"{prefix}-labels-idx1-ubyte.gz");
        var labels = IdxReader.ReadLabels(labelsPath);
        var pixels = IdxReader.ReadImages(imagesPath, ImageSize, out int count);
        if (count != labels.Length)
            throw new InvalidDataException($"'{imagesPath}' holds {count} images but '{labelsPath}' holds {labels.Length} labels.");
        int expected = split == FashionMnistSplit.Train ? 60_000 : 10_000;
        if (count != expected)
            throw new InvalidDataException($"'{imagesPath}' holds {count} images; the Fashion-MNIST {split} split has {expected}.");
        return new FashionMnistDataView(pixels, labels, imageKind, imageColumnName, labelColumnName);
    }
}
