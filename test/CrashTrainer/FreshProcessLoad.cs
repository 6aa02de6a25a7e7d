using System.Security.Cryptography;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace CrashTrainer;

/// <summary>
/// Loads a model zip the way a user's separate program would: nothing here names a Microsoft.ML.Diffusion type or
/// registers anything, so ML.NET must find the loader from the zip's header alone. Prints whether the package was
/// loaded before <c>Model.Load</c>, then one SHA-256 of the pixels per generated image for seeds 0 … COUNT−1.
/// </summary>
internal static class FreshProcessLoad
{
    public static int Run(string modelPath, int count)
    {
        bool loadedBefore = AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name == "Microsoft.ML.Diffusion");
        Console.WriteLine($"package loaded before Model.Load: {loadedBefore}");
        var ml = new MLContext(seed: 1);
        var model = ml.Model.Load(modelPath, out _);
        var generator = model is TransformerChain<ITransformer> chain ? chain.LastTransformer : model;
        Console.WriteLine($"generator: {generator.GetType().FullName}");
        var requests = ml.Data.LoadFromEnumerable(Enumerable.Range(0, count).Select(i => new SeedRow { Seed = i }).ToList());
        var output = generator.Transform(requests);
        var column = output.Schema["GeneratedImage"];
        using var cursor = output.GetRowCursor([column]);
        var getter = cursor.GetGetter<MLImage>(column);
        MLImage image = null!;
        while (cursor.MoveNext())
        {
            getter(ref image);
            Console.WriteLine($"image {Convert.ToHexString(SHA256.HashData(image.Pixels))}");
        }
        return 0;
    }

    private sealed class SeedRow
    {
        public int Seed { get; set; }
    }
}
