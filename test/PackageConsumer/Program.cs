// A consumer of the Microsoft.ML.Diffusion package, run by PackageConsumerTests:
//   PackageConsumer train FOLDER      writes 12 PNGs, trains a few steps through LoadImages → Diffusion, saves
//                                     FOLDER/model.zip, prints the generated images and the Fréchet distance
//   PackageConsumer generate FOLDER   loads FOLDER/model.zip in a process that has touched no diffusion type and
//                                     prints the generated images
// Each image is printed as "image SEED WIDTHxHEIGHT FORMAT SHA256(pixels)".
using System.Security.Cryptography;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Diffusion;

if (args.Length != 2 || args[0] is not ("train" or "generate"))
{
    Console.Error.WriteLine("usage: PackageConsumer train|generate FOLDER");
    return 2;
}
string folder = args[1];
if (args[0] == "train") Consumer.Train(folder);
else Consumer.Generate(folder);
return 0;

internal static class Consumer
{
    private const int Images = 12, Size = 28, Generated = 4;

    public static void Train(string folder)
    {
        string images = Path.Combine(folder, "images");
        Directory.CreateDirectory(images);
        for (int i = 0; i < Images; i++) WritePattern(Path.Combine(images, $"{i}.png"), i);

        var ml = new MLContext(seed: 1);
        var files = ml.Data.LoadFromEnumerable(Enumerable.Range(0, Images).Select(i => new ImageFile { Path = $"{i}.png" }).ToList());
        var pipeline = ml.Transforms.LoadImages("Image", images, nameof(ImageFile.Path))
            .Append(ml.Transforms.Diffusion(new DiffusionEstimator.Options
            {
                InputColumnName = "Image",
                SeedColumnName = "Seed",
                BaseChannels = 8,
                ChannelMultipliers = [1, 2],
                ResBlocksPerLevel = 1,
                AttentionResolutions = [14],
                GroupNormGroups = 4,
                Timesteps = 100,
                BatchSize = 4,
                MaxSteps = 3,
                MaxEpochs = null,
                Sampler = new DiffusionSamplerOptions { Kind = SamplerKind.Ddim, Steps = 5 },
            }));
        var model = pipeline.Fit(files);
        string zip = Path.Combine(folder, "model.zip");
        ml.Model.Save(model, files.Schema, zip);
        Console.WriteLine($"saved {zip}");

        var generated = model.LastTransformer.Transform(Requests(ml));
        Print(generated);
        // The bundled feature network is an embedded resource of the package's assembly: this fails without it.
        var reference = ml.Transforms.LoadImages("Image", images, nameof(ImageFile.Path)).Fit(files).Transform(files);
        var metrics = ml.Diffusion().Evaluate(generated, reference);
        Console.WriteLine($"frechet {metrics.FrechetDistance:R}");
    }

    public static void Generate(string folder)
    {
        bool loadedBefore = AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name == "Microsoft.ML.Diffusion");
        Console.WriteLine($"package loaded before Model.Load: {loadedBefore}");
        var ml = new MLContext(seed: 1);
        var model = (TransformerChain<ITransformer>)ml.Model.Load(Path.Combine(folder, "model.zip"), out _);
        Console.WriteLine($"generator {model.LastTransformer.GetType().FullName}");
        Print(model.LastTransformer.Transform(Requests(ml)));
    }

    private static IDataView Requests(MLContext ml) =>
        ml.Data.LoadFromEnumerable(Enumerable.Range(0, Generated).Select(i => new Request { Seed = 100 + i }).ToList());

    private static void Print(IDataView generated)
    {
        var column = generated.Schema["GeneratedImage"];
        using var cursor = generated.GetRowCursor([column, generated.Schema["Seed"]]);
        var image = cursor.GetGetter<MLImage>(column);
        var seed = cursor.GetGetter<int>(generated.Schema["Seed"]);
        MLImage value = null!;
        int s = 0;
        while (cursor.MoveNext())
        {
            image(ref value);
            seed(ref s);
            Console.WriteLine($"image {s} {value.Width}x{value.Height} {value.PixelFormat} {Convert.ToHexString(SHA256.HashData(value.Pixels))}");
        }
    }

    // A soft blob whose place and size vary with i: enough structure for a few training steps to act on.
    private static void WritePattern(string path, int i)
    {
        var bgra = new byte[Size * Size * 4];
        double cx = 8 + i % 4 * 4, cy = 8 + i / 4 * 5, r = 4 + i % 3;
        for (int y = 0; y < Size; y++)
            for (int x = 0; x < Size; x++)
            {
                byte v = (byte)(255 * Math.Exp(-((x - cx) * (x - cx) + (y - cy) * (y - cy)) / (2 * r * r)));
                int p = (y * Size + x) * 4;
                bgra[p] = bgra[p + 1] = bgra[p + 2] = v;
                bgra[p + 3] = 255;
            }
        using var image = MLImage.CreateFromPixels(Size, Size, MLPixelFormat.Bgra32, bgra);
        image.Save(path);
    }

    private sealed class ImageFile
    {
        public string Path { get; set; } = "";
    }

    private sealed class Request
    {
        public int Seed { get; set; }
    }
}
