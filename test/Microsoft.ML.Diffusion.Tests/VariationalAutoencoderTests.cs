using Microsoft.ML.Data;
using Microsoft.ML.Diffusion.Evaluation;
using Microsoft.ML.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion.Tests;

[TestClass]
public class VariationalAutoencoderTests
{
    private static VariationalAutoencoderEstimator.Options Options(int steps = 20) => new()
    {
        InputColumnName = "Image",
        BaseChannels = 8,
        ChannelMultipliers = [1, 2],
        GroupNormGroups = 4,
        LatentDimensions = 4,
        BatchSize = 4,
        LearningRate = 3e-3,
        WarmupSteps = 0,
        MaxSteps = steps,
        MaxEpochs = null,
        Seed = 5,
        LogEveryNSteps = 0,
        GenerationBatchSize = 3,
    };

    private static VariationalAutoencoderTransformer Fit(VariationalAutoencoderEstimator.Options options, int rows = 8)
    {
        var ml = new MLContext(seed: 1);
        return ml.Transforms.VariationalAutoencoder(options).Fit(ml.Data.LoadFromEnumerable(TinyData.Rows(rows).ToList()));
    }

    // ---- the bound in closed form ---------------------------------------------------------------

    // With every weight zero the encoder outputs its last bias (μ, log σ²) and the decoder its last bias (mean m and
    // log scale of every pixel, or one logit), whatever the image: both terms of the bound are then closed forms.
    private static VaeModel ConstantNetwork(VaeDecoder decoder, float[] posterior, float[] output)
    {
        var model = new VaeModel(new VaeArchitecture(1, 8, 8, 8, [1, 2], posterior.Length / 2, decoder, 4));
        using (no_grad())
        {
            foreach (var p in model.parameters()) p.zero_();
            var named = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            named["to_posterior.bias"].copy_(tensor(posterior));
            named["conv_out.bias"].copy_(tensor(output));
        }
        return model;
    }

    private static readonly float[] s_posterior = [0.3f, -0.2f, 0.1f, -0.2f, 0.1f, 0f]; // μ = (0.3, −0.2, 0.1), log σ² = (−0.2, 0.1, 0)

    // KL(N(μ, σ²) ‖ N(0, 1)) = ½ Σ (μ² + σ² − 1 − log σ²)
    private static double ClosedFormKl(float[] posterior)
    {
        int k = posterior.Length / 2;
        return Enumerable.Range(0, k).Sum(i => 0.5 * (posterior[i] * posterior[i] + Math.Exp(posterior[k + i]) - 1 - posterior[k + i]));
    }

    // Φ(z) from Numerical Recipes' erfc (fractional error below 1.2e-7): an implementation independent of GaussianTerms'.
    private static double Phi(double z)
    {
        double x = -z / Math.Sqrt(2), ax = Math.Abs(x), t = 1 / (1 + 0.5 * ax);
        double erfc = t * Math.Exp(-ax * ax - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
                      t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return 0.5 * (x >= 0 ? erfc : 2 - erfc);
    }

    // −log of the mass of N(m, s²) on the pixel's bin [x − 1/255, x + 1/255], the outer bins reaching to ±∞ (Ho et al. 2020, Eq. 13).
    private static double BinNegLogMass(float pixel255, double m, double s)
    {
        double x = pixel255 / 127.5 - 1, h = 1 / 255.0;
        double upper = pixel255 >= 255 ? 1 : Phi((x + h - m) / s);
        double lower = pixel255 <= 0 ? 0 : Phi((x - h - m) / s);
        return -Math.Log(upper - lower);
    }

    private static float[] Pixels(float[] image255) => image255.Select(p => p / 127.5f - 1).ToArray();

    [TestMethod]
    public void DiscretizedGaussianBoundOfAConstantNetworkMatchesTheClosedForm()
    {
        const double m = 0.1, logScale = -1.0;
        using var model = ConstantNetwork(VaeDecoder.DiscretizedGaussian, s_posterior, [(float)m, (float)logScale]);
        var image = TinyData.Patterns()[0].Select((p, i) => i % 5 == 0 ? 128f : p).ToArray();   // 0, 128 and 255 pixels
        using var x = tensor(Pixels(image)).reshape(1, 1, 8, 8);
        using var epsilon = randn(1, 3);
        var (reconstruction, kl) = EvidenceLowerBound.Terms(model, x, epsilon);
        double expected = image.Sum(p => BinNegLogMass(p, m, Math.Exp(logScale)));
        Assert.AreEqual(expected, reconstruction.ToDouble(), 1e-4 * expected, "−log p(x | z) of the discretised Gaussian");
        Assert.AreEqual(ClosedFormKl(s_posterior), kl.ToDouble(), 1e-6, "closed-form KL to N(0, I)");
        reconstruction.Dispose();
        kl.Dispose();
    }

    [TestMethod]
    public void BernoulliBoundOfAConstantNetworkIsTheCrossEntropy()
    {
        const double logit = 0.7;
        using var model = ConstantNetwork(VaeDecoder.Bernoulli, s_posterior, [(float)logit]);
        var image = TinyData.Patterns()[1];
        using var x = tensor(Pixels(image)).reshape(1, 1, 8, 8);
        using var epsilon = randn(1, 3);
        var (reconstruction, kl) = EvidenceLowerBound.Terms(model, x, epsilon);
        // −[p log σ(b) + (1 − p) log(1 − σ(b))] = log(1 + e^b) − p·b with p the intensity in [0, 1].
        double expected = image.Sum(p => Math.Log(1 + Math.Exp(logit)) - p / 255.0 * logit);
        Assert.AreEqual(expected, reconstruction.ToDouble(), 1e-4);
        reconstruction.Dispose();
        kl.Dispose();
    }

    [TestMethod]
    public void TheKlGradientReachesThePosteriorThroughTheClosedForm()
    {
        // The decoder ignores z here, so the bound's gradient with respect to the encoder's output bias is the KL's:
        // ∂KL/∂μ = μ and ∂KL/∂(log σ²) = ½ (σ² − 1), per image.
        using var model = ConstantNetwork(VaeDecoder.DiscretizedGaussian, s_posterior, [0f, 0f]);
        using var x = tensor(Pixels(TinyData.Patterns()[0].Concat(TinyData.Patterns()[1]).ToArray())).reshape(2, 1, 8, 8);
        using var epsilon = randn(2, 3);
        var (reconstruction, kl) = EvidenceLowerBound.Terms(model, x, epsilon);
        using var loss = (reconstruction + kl).sum();
        loss.backward();
        var grad = model.named_parameters().Single(p => p.name == "to_posterior.bias").parameter.grad!.data<float>().ToArray();
        for (int i = 0; i < 3; i++)
        {
            Assert.AreEqual(2 * s_posterior[i], grad[i], 1e-5, $"∂/∂μ_{i}");
            Assert.AreEqual(2 * 0.5 * (Math.Exp(s_posterior[3 + i]) - 1), grad[3 + i], 1e-5, $"∂/∂log σ²_{i}");
        }
        reconstruction.Dispose();
        kl.Dispose();
    }

    [TestMethod]
    public void LikelihoodOfAConstantNetworkIsItsClosedFormAndTheImportanceWeightedBoundIsTighter()
    {
        const double m = -0.2, logScale = -0.5;
        var ml = new MLContext(seed: 1);
        var env = (IHostEnvironment)ml;
        var model = new VariationalAutoencoderTransformer(env, new VaeModelSettings("Image", "GeneratedImage", null, null, null, null, 1 / 127.5f, 127.5f, 1, 4),
            ConstantNetwork(VaeDecoder.DiscretizedGaussian, s_posterior, [(float)m, (float)logScale]),
            ConstantNetwork(VaeDecoder.DiscretizedGaussian, s_posterior, [(float)m, (float)logScale]), [], 0);
        using (model)
        {
            var images = ml.Data.LoadFromEnumerable(TinyData.Rows(6).ToList());
            var elbo = ml.Diffusion().EvaluateLikelihood(model, images, new VaeLikelihoodOptions { BatchSize = 4 });
            double toBits = 1 / (64 * Math.Log(2));
            double reconstruction = TinyData.Rows(6).Average(r => r.Image.Sum(p => BinNegLogMass(p, m, Math.Exp(logScale)))) * toBits;
            Assert.AreEqual(reconstruction, elbo.ReconstructionBitsPerDim, 1e-4 * reconstruction);
            Assert.AreEqual(ClosedFormKl(s_posterior) * toBits, elbo.KlBitsPerDim, 1e-7);
            Assert.AreEqual(elbo.ElboBitsPerDim, elbo.BitsPerDim, 1e-6, "K = 1 reports −ELBO (float32 sums)");
            Assert.AreEqual(6, elbo.ImageCount);

            // With p(x | z) independent of z, the importance-weighted bound is −log p(x | ·) − log (1/K) Σ p(z_k)/q(z_k | x), whose last
            // term tends to log ∫ p(z) dz = 0: the bound falls from −ELBO towards the reconstruction term alone as K grows.
            var iwae = ml.Diffusion().EvaluateLikelihood(model, images, new VaeLikelihoodOptions { Samples = 2000, BatchSize = 6 });
            Assert.IsLessThan(elbo.BitsPerDim, iwae.BitsPerDim);
            Assert.AreEqual(reconstruction, iwae.BitsPerDim, 0.25 * elbo.KlBitsPerDim);
        }
    }

    // ---- training, generation and columns ------------------------------------------------------------

    [TestMethod]
    public void TrainingRaisesTheElboOfTheTrainingImages()
    {
        var ml = new MLContext(seed: 1);
        var images = ml.Data.LoadFromEnumerable(TinyData.Rows(8).ToList());
        using var untrained = Fit(Options(steps: 1));
        using var trained = Fit(Options(steps: 150));
        var before = ml.Diffusion().EvaluateLikelihood(untrained, images, new VaeLikelihoodOptions { Samples = 4 });
        var after = ml.Diffusion().EvaluateLikelihood(trained, images, new VaeLikelihoodOptions { Samples = 4 });
        Assert.IsLessThan(before.ElboBitsPerDim - 1, after.ElboBitsPerDim, $"−ELBO {before.ElboBitsPerDim:F3} → {after.ElboBitsPerDim:F3} bits/dim");
        Assert.HasCount(150, trained.LossHistory);
        Assert.IsLessThan(trained.LossHistory.Take(10).Average(), trained.LossHistory.TakeLast(10).Average());
    }

    [TestMethod]
    public void ReconstructionsOfTheTrainingPatternsAreNearerTheirOwnPatternThanTheOther()
    {
        var ml = new MLContext(seed: 1);
        var options = Options(steps: 200);
        options.ReconstructionColumnName = "Reconstruction";
        options.LatentColumnName = "Latent";
        using var model = Fit(options);
        var patterns = TinyData.Patterns().Select(Pixels).ToArray();
        var view = model.Transform(ml.Data.LoadFromEnumerable(TinyData.Rows(2).ToList()));
        using var cursor = view.GetRowCursor(view.Schema);
        var getImage = cursor.GetGetter<MLImage>(view.Schema["Reconstruction"]);
        var getLatent = cursor.GetGetter<VBuffer<float>>(view.Schema["Latent"]);
        var latents = new List<float[]>();
        while (cursor.MoveNext())
        {
            MLImage image = null!;
            getImage(ref image);
            var pixels = TrainingImageReader.Planes(image, 1);
            int own = (int)cursor.Position % 2;
            double Mse(float[] p) => pixels.Zip(p, (a, b) => (a - b) * (a - b)).Average();
            Assert.IsLessThan(Mse(patterns[1 - own]) / 4, Mse(patterns[own]), $"row {cursor.Position}: reconstruction MSE own {Mse(patterns[own]):F4} vs other {Mse(patterns[1 - own]):F4}");
            VBuffer<float> latent = default;
            getLatent(ref latent);
            latents.Add(latent.DenseValues().ToArray());
        }
        Assert.HasCount(2, latents);
        Assert.HasCount(4, latents[0]);
        var (means, _) = model.EncodeBatch(patterns);
        CollectionAssert.AreEqual(means.Take(4).ToArray(), latents[0], "the latent column is the posterior mean");
    }

    [TestMethod]
    public void ARowsImageDependsOnlyOnItsSeed()
    {
        using var model = Fit(Options(steps: 5));
        var alone = model.Generate([42]);
        var among = model.Generate([1, 2, 3, 4, 42, 6, 7, 8, 9, 10, 11]);
        CollectionAssert.AreEqual(alone[0], among[4]);
        CollectionAssert.AreNotEqual(among[3], among[4]);
        Assert.IsTrue(alone[0].All(p => p is >= -1 and <= 1));
    }

    [TestMethod]
    public void TheLatentAndReconstructionColumnsNeedTheImageColumn()
    {
        var options = Options(steps: 2);
        options.SeedColumnName = "Seed";
        options.LatentColumnName = "Latent";
        options.ReconstructionColumnName = "Reconstruction";
        options.OutputVectorColumnName = "Pixels";
        using var model = Fit(options);
        var ml = new MLContext(seed: 1);
        var seedsOnly = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 3).Select(i => new SeedRow { Seed = i }).ToList());
        var schema = model.Transform(seedsOnly).Schema;
        Assert.IsNotNull(schema.GetColumnOrNull("GeneratedImage"));
        Assert.AreEqual(64, ((VectorDataViewType)schema["Pixels"].Type).Size);
        Assert.IsNull(schema.GetColumnOrNull("Latent"), "no images to encode");
        Assert.IsNull(schema.GetColumnOrNull("Reconstruction"));
        var withImages = model.Transform(ml.Data.LoadFromEnumerable(TinyData.Rows(3).ToList())).Schema;
        Assert.AreEqual(4, ((VectorDataViewType)withImages["Latent"].Type).Size);
        Assert.IsInstanceOfType<Microsoft.ML.Transforms.Image.ImageDataViewType>(withImages["Reconstruction"].Type);
    }

    private sealed class SeedRow
    {
        public int Seed { get; set; }
    }

    [TestMethod]
    public void SavedModelRegeneratesTheSameImagesAfterLoading()
    {
        var options = Options(steps: 6);
        options.OutputVectorColumnName = "Pixels";
        options.SeedColumnName = "Seed";
        var ml = new MLContext(seed: 1);
        var requests = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 5).Select(i => new SeedRow { Seed = 100 + i }).ToList());
        using var model = Fit(options);
        using var stream = new MemoryStream();
        ml.Model.Save(model, null, stream);
        var before = Pixels(model.Transform(requests));

        stream.Position = 0;
        var loaded = new MLContext(seed: 2).Model.Load(stream, out _);
        var vae = loaded as VariationalAutoencoderTransformer ?? (VariationalAutoencoderTransformer)((TransformerChain<ITransformer>)loaded).Single();
        using (vae)
        {
            var (a, b) = (model.Architecture, vae.Architecture);
            Assert.AreEqual((a.ImageChannels, a.ImageHeight, a.ImageWidth, a.BaseChannels, a.LatentDimensions, a.Decoder, a.GroupNormGroups),
                (b.ImageChannels, b.ImageHeight, b.ImageWidth, b.BaseChannels, b.LatentDimensions, b.Decoder, b.GroupNormGroups));
            CollectionAssert.AreEqual(a.ChannelMultipliers, b.ChannelMultipliers);
            Assert.AreEqual(6, vae.TrainedSteps);
            CollectionAssert.AreEqual(model.LossHistory.ToArray(), vae.LossHistory.ToArray());
            var after = Pixels(vae.Transform(requests));
            Assert.HasCount(5, after);
            for (int i = 0; i < 5; i++) CollectionAssert.AreEqual(before[i], after[i], $"row {i}");
        }
    }

    private static List<float[]> Pixels(IDataView view)
    {
        var column = view.Schema["Pixels"];
        using var cursor = view.GetRowCursor([column]);
        var get = cursor.GetGetter<VBuffer<float>>(column);
        var rows = new List<float[]>();
        VBuffer<float> value = default;
        while (cursor.MoveNext())
        {
            get(ref value);
            rows.Add(value.DenseValues().ToArray());
        }
        return rows;
    }

    [TestMethod]
    public void ADamagedVaeWeightEntryIsRefusedNamingIt()
    {
        using var model = Fit(Options(steps: 1));
        var ml = new MLContext(seed: 1);
        using var stream = new MemoryStream();
        ml.Model.Save(model, null, stream);
        var zip = stream.ToArray();
        string name = CheckpointTestKit.Entries(zip).Keys.Single(k => k.EndsWith("/Vae.dat", StringComparison.Ordinal));
        var damaged = CheckpointTestKit.Rewrite(zip, name, bytes => { var b = (byte[])bytes.Clone(); b[^3] ^= 0x40; return b; });
        var e = Assert.Throws<Exception>(() => new MLContext(seed: 1).Model.Load(new MemoryStream(damaged), out _));
        var inner = e as InvalidDataException ?? e.InnerException as InvalidDataException;
        Assert.IsNotNull(inner, e.ToString());
        StringAssert.Contains(inner.Message, "Vae.dat");
    }

    // ---- checkpoints -------------------------------------------------------------------------------------

    [TestMethod]
    public void ResumeEndsBitIdenticalToAStraightRun()
    {
        const int N = 5;  // 8 images in batches of 4: step 5 stops mid-epoch
        var folder = CheckpointTestKit.NewFolder();
        try
        {
            var ml = new MLContext(seed: 1);
            byte[] Zip(VariationalAutoencoderTransformer m)
            {
                using var s = new MemoryStream();
                ml.Model.Save(m, null, s);
                return s.ToArray();
            }
            byte[] straight, resumed;
            using (var model = Fit(Options(2 * N))) straight = Zip(model);
            var first = Options(N);
            first.CheckpointFolder = folder;
            using (Fit(first)) { }
            Assert.IsTrue(File.Exists(Path.Combine(folder, "checkpoint-0000000005.zip")));
            TrainingCheckpoint.Verify(Path.Combine(folder, "checkpoint-0000000005.zip"));
            var second = Options(2 * N);
            second.CheckpointFolder = folder;
            second.ResumeFromLatest = true;
            using (var model = Fit(second))
            {
                Assert.AreEqual(2 * N, model.TrainedSteps);
                resumed = Zip(model);
            }
            var a = CheckpointTestKit.Entries(straight);
            var b = CheckpointTestKit.Entries(resumed);
            var binary = a.Keys.Where(k => k.EndsWith(".dat", StringComparison.Ordinal) || k.EndsWith("LossHistory.bin", StringComparison.Ordinal)).ToList();
            Assert.HasCount(3, binary);
            foreach (var entry in binary) CollectionAssert.AreEqual(a[entry], b[entry], $"{entry} differs between the straight run and the resumed one");
        }
        finally
        {
            CheckpointTestKit.DeleteFolder(folder);
        }
    }

    [TestMethod]
    public void EachEstimatorRefusesTheOthersCheckpoint()
    {
        var folder = CheckpointTestKit.NewFolder();
        try
        {
            var vae = Options(2);
            vae.CheckpointFolder = folder;
            using (Fit(vae)) { }
            var diffusion = TinyData.Options(4);
            diffusion.CheckpointFolder = folder;
            diffusion.ResumeFromLatest = true;
            var e = Assert.ThrowsExactly<ArgumentException>(() => CheckpointTestKit.Fit(diffusion, rows: 8));
            StringAssert.Contains(e.Message, "holds a variational autoencoder, but this run trains a diffusion U-Net");

            var otherFolder = CheckpointTestKit.NewFolder();
            try
            {
                var d = TinyData.Options(2);
                d.CheckpointFolder = otherFolder;
                using (CheckpointTestKit.Fit(d, rows: 8)) { }
                var resume = Options(4);
                resume.CheckpointFolder = otherFolder;
                resume.ResumeFromLatest = true;
                var e2 = Assert.ThrowsExactly<ArgumentException>(() => Fit(resume));
                StringAssert.Contains(e2.Message, "holds a diffusion U-Net, but this run trains a variational autoencoder");
            }
            finally
            {
                CheckpointTestKit.DeleteFolder(otherFolder);
            }
        }
        finally
        {
            CheckpointTestKit.DeleteFolder(folder);
        }
    }

    [TestMethod]
    public void ACheckpointOfAnotherLatentSizeIsRefusedNamingTheOption()
    {
        var folder = CheckpointTestKit.NewFolder();
        try
        {
            var first = Options(2);
            first.CheckpointFolder = folder;
            using (Fit(first)) { }
            var resume = Options(4);
            resume.CheckpointFolder = folder;
            resume.ResumeFromLatest = true;
            resume.LatentDimensions = 6;
            var e = Assert.ThrowsExactly<ArgumentException>(() => Fit(resume));
            Assert.AreEqual(nameof(VariationalAutoencoderEstimator.Options.LatentDimensions), e.ParamName);
        }
        finally
        {
            CheckpointTestKit.DeleteFolder(folder);
        }
    }

    // ---- bad input ------------------------------------------------------------------------------------------

    [TestMethod]
    [DataRow(nameof(VariationalAutoencoderEstimator.Options.LatentDimensions))]
    [DataRow(nameof(VariationalAutoencoderEstimator.Options.KlWeight))]
    [DataRow(nameof(VariationalAutoencoderEstimator.Options.LatentColumnName))]
    [DataRow(nameof(VariationalAutoencoderEstimator.Options.GroupNormGroups))]
    [DataRow(nameof(VariationalAutoencoderEstimator.Options.LearningRate))]
    [DataRow(nameof(VariationalAutoencoderEstimator.Options.MaxSteps))]
    [DataRow(nameof(VariationalAutoencoderEstimator.Options.Decoder))]
    public void ABadOptionIsRefusedWhenTheEstimatorIsCreated(string option)
    {
        var o = Options();
        switch (option)
        {
            case nameof(o.LatentDimensions): o.LatentDimensions = 0; break;
            case nameof(o.KlWeight): o.KlWeight = double.NaN; break;
            case nameof(o.LatentColumnName): o.LatentColumnName = o.OutputColumnName; break;
            case nameof(o.GroupNormGroups): o.GroupNormGroups = 3; break;
            case nameof(o.LearningRate): o.LearningRate = -1; break;
            case nameof(o.MaxSteps): o.MaxSteps = 0; break;
            case nameof(o.Decoder): o.Decoder = (VaeDecoder)7; break;
        }
        var e = Assert.Throws<ArgumentException>(() => new MLContext().Transforms.VariationalAutoencoder(o));
        Assert.AreEqual(option, e.ParamName, e.Message);
        StringAssert.Contains(e.Message, $"'{option}'");
    }

    [TestMethod]
    public void ImagesTooSmallForTheLevelsAreRefusedBeforeTraining()
    {
        var o = Options();
        o.ChannelMultipliers = [1, 1, 1, 1, 1];   // 8×8 is not divisible by 2^4
        var e = Assert.ThrowsExactly<ArgumentException>(() => Fit(o));
        Assert.AreEqual(nameof(o.ChannelMultipliers), e.ParamName);
        StringAssert.Contains(e.Message, "Input column 'Image' holds 8×8 images");
    }

    [TestMethod]
    public void ABernoulliVaeTrainsAndWarnsThatItsBoundIsOfBinarisedImages()
    {
        var o = Options(steps: 60);
        o.Decoder = VaeDecoder.Bernoulli;
        using var model = Fit(o);
        var ml = new MLContext(seed: 1);
        var bound = ml.Diffusion().EvaluateLikelihood(model, ml.Data.LoadFromEnumerable(TinyData.Rows(4).ToList()));
        Assert.IsTrue(double.IsFinite(bound.BitsPerDim) && bound.BitsPerDim > 0);
        Assert.IsLessThan(1.0, bound.BitsPerDim, "a Bernoulli of binary pixels costs less than 1 bit each once trained");
        Assert.IsTrue(bound.Warnings.Any(w => w.Contains("binarised", StringComparison.Ordinal)));
    }
}
