using System.Text;

namespace Microsoft.ML.Diffusion.Evaluation;

/// <summary>
/// The mean and covariance of a feature network's features over an image set: all the Fréchet distance needs
/// of a reference set. Compute them once (<c>mlContext.Diffusion().ComputeReferenceStatistics</c>), save them
/// with <see cref="Save(string)"/> and reuse them for every evaluation.
/// </summary>
public sealed class FeatureStatistics
{
    private const string Magic = "DIFFSTAT";
    private const int FormatVersion = 1;

    private FeatureStatistics(string featureExtractorName, double[] mean, double[,] covariance, long count)
    {
        FeatureExtractorName = featureExtractorName;
        MeanArray = mean;
        CovarianceMatrix = covariance;
        Count = count;
    }

    /// <summary>The <see cref="IFeatureExtractor.Name"/> of the network that produced the features; only statistics of the same network can be compared.</summary>
    public string FeatureExtractorName { get; }

    /// <summary>The number of images the statistics summarise.</summary>
    public long Count { get; }

    /// <summary>The feature dimension.</summary>
    public int Dimension => MeanArray.Length;

    /// <summary>The mean feature vector.</summary>
    public IReadOnlyList<double> Mean => MeanArray;

    /// <summary>The unbiased (N − 1) covariance between features <paramref name="i"/> and <paramref name="j"/>.</summary>
    public double Covariance(int i, int j) => CovarianceMatrix[i, j];

    internal double[] MeanArray { get; }

    internal double[,] CovarianceMatrix { get; }

    /// <summary>Fits mean and unbiased covariance to feature vectors (at least 2, all of one length).</summary>
    /// <param name="features">One feature vector per image.</param>
    /// <param name="featureExtractorName">The name of the network that produced them.</param>
    /// <exception cref="ArgumentException">Fewer than 2 vectors, differing lengths or non-finite values.</exception>
    public static FeatureStatistics FromFeatures(IReadOnlyList<double[]> features, string featureExtractorName)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentException.ThrowIfNullOrEmpty(featureExtractorName);
        if (features.Count < 2)
            throw new ArgumentException($"Feature statistics need at least 2 feature vectors, got {features.Count}.", nameof(features));
        int d = features[0].Length;
        var mean = new double[d];
        for (int r = 0; r < features.Count; r++)
        {
            var f = features[r];
            if (f.Length != d) throw new ArgumentException($"Feature vector {r} has {f.Length} values; vector 0 has {d}.", nameof(features));
            for (int i = 0; i < d; i++)
            {
                if (!double.IsFinite(f[i])) throw new ArgumentException($"Feature vector {r} holds {f[i]} at index {i}; features must be finite.", nameof(features));
                mean[i] += f[i];
            }
        }
        for (int i = 0; i < d; i++) mean[i] /= features.Count;

        // Centred before accumulating, so large means do not cancel catastrophically.
        var covariance = new double[d, d];
        var centred = new double[d];
        foreach (var f in features)
        {
            for (int i = 0; i < d; i++) centred[i] = f[i] - mean[i];
            for (int i = 0; i < d; i++)
            {
                double ci = centred[i];
                if (ci == 0) continue;
                for (int j = i; j < d; j++) covariance[i, j] += ci * centred[j];
            }
        }
        for (int i = 0; i < d; i++)
            for (int j = i; j < d; j++)
                covariance[j, i] = covariance[i, j] /= features.Count - 1;
        return new FeatureStatistics(featureExtractorName, mean, covariance, features.Count);
    }

    /// <summary>Writes the statistics to a small binary file (about 8·d² bytes).</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = File.Create(path);
        Save(stream);
    }

    /// <summary>Writes the statistics to a stream.</summary>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Encoding.ASCII.GetBytes(Magic));
        writer.Write(FormatVersion);
        writer.Write(FeatureExtractorName);
        writer.Write(Count);
        writer.Write(Dimension);
        foreach (var m in MeanArray) writer.Write(m);
        foreach (var c in CovarianceMatrix) writer.Write(c);
    }

    /// <summary>Reads statistics written by <see cref="Save(string)"/>.</summary>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not a feature-statistics file of this version.</exception>
    public static FeatureStatistics Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path)) throw new FileNotFoundException($"'{path}' is a folder; pass the feature-statistics file (written by FeatureStatistics.Save).", path);
        if (!File.Exists(path)) throw new FileNotFoundException($"No feature-statistics file at '{path}'.", path);
        using var stream = File.OpenRead(path);
        try
        {
            return Load(stream);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"'{path}': {e.Message}", e);
        }
    }

    /// <summary>Reads statistics written by <see cref="Save(Stream)"/>.</summary>
    /// <exception cref="InvalidDataException">The stream does not hold feature statistics of this version.</exception>
    public static FeatureStatistics Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        try
        {
            if (Encoding.ASCII.GetString(reader.ReadBytes(Magic.Length)) != Magic)
                throw new InvalidDataException($"Not a feature-statistics file (expected the '{Magic}' header).");
            int version = reader.ReadInt32();
            if (version != FormatVersion)
                throw new InvalidDataException($"Feature-statistics format version {version}; this build reads version {FormatVersion}.");
            string name = reader.ReadString();
            long count = reader.ReadInt64();
            int d = reader.ReadInt32();
            if (count < 2 || d < 1 || d > 1 << 14)
                throw new InvalidDataException($"Implausible header: {count} images, dimension {d}.");
            var mean = new double[d];
            for (int i = 0; i < d; i++) mean[i] = Finite(reader.ReadDouble(), "mean", i);
            var covariance = new double[d, d];
            for (int i = 0; i < d; i++)
                for (int j = 0; j < d; j++) covariance[i, j] = Finite(reader.ReadDouble(), "covariance", i * d + j);
            return new FeatureStatistics(name, mean, covariance, count);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("The feature-statistics file is truncated.", e);
        }
    }

    // A NaN here made every Fréchet distance NaN, with nothing to say where it came from.
    private static double Finite(double value, string part, int index) => double.IsFinite(value)
        ? value
        : throw new InvalidDataException($"The {part} holds {value} at index {index}; feature statistics must be finite.");
}
