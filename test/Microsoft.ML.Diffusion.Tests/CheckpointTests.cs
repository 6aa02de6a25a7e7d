using Microsoft.ML.Data;

namespace Microsoft.ML.Diffusion.Tests;

[TestClass]
public class CheckpointTests
{
    [TestMethod]
    [DataRow(DiffusionOptimizer.Adam)]
    [DataRow(DiffusionOptimizer.AdamW)]
    public void ResumeEndsBitIdenticalToAStraightRun(DiffusionOptimizer optimizer)
    {
        const int N = 7; // 6 images in batches of 4: step 7 stops mid-epoch, so the saved data order matters
        var folder = CheckpointTestKit.NewFolder();
        DiffusionEstimator.Options Options(int steps, string? checkpoints = null)
        {
            var o = CheckpointTestKit.Options(steps, checkpoints);
            o.Optimizer = optimizer;
            o.WeightDecay = 0.01;
            return o;
        }
        try
        {
            byte[] straight;
            using (var model = CheckpointTestKit.Fit(Options(2 * N)))
                straight = CheckpointTestKit.ModelZip(model);

            using (var first = CheckpointTestKit.Fit(Options(N, folder)))
                Assert.AreEqual(N, first.TrainedSteps);
            string saved = Path.Combine(folder, "checkpoint-0000000007.zip");
            Assert.IsTrue(File.Exists(saved), "a checkpoint is written when training stops");
            TrainingCheckpoint.Verify(saved);
            var resumeOptions = Options(2 * N, folder);
            resumeOptions.ResumeFromLatest = true;
            byte[] resumed;
            using (var model = CheckpointTestKit.Fit(resumeOptions))
            {
                Assert.AreEqual(2 * N, model.TrainedSteps);
                resumed = CheckpointTestKit.ModelZip(model);
            }

            CheckpointTestKit.AssertSameTraining(straight, resumed);
        }
        finally
        {
            CheckpointTestKit.DeleteFolder(folder);
        }
    }

    [TestMethod]
    public void CheckpointWithAnotherUNetShapeIsRefusedNamingTheOption()
    {
        var folder = CheckpointTestKit.NewFolder();
        try
        {
            using (CheckpointTestKit.Fit(CheckpointTestKit.Options(2, folder))) { }
            var options = CheckpointTestKit.Options(4, folder);
            options.ResumeFromLatest = true;
            options.BaseChannels = 16;
            var ex = Assert.ThrowsExactly<ArgumentException>(() => CheckpointTestKit.Fit(options));
            Assert.AreEqual("BaseChannels", ex.ParamName);
            StringAssert.Contains(ex.Message, "BaseChannels = 8");
            StringAssert.Contains(ex.Message, "checkpoint-0000000002.zip");
        }
        finally
        {
            CheckpointTestKit.DeleteFolder(folder);
        }
    }

    private sealed class WideRow
    {
        [VectorType(1, 8, 16)]
        public float[] Image { get; set; } = [];
    }

    [TestMethod]
    public void CheckpointOfAnotherImageSizeIsRefusedNamingTheOption()
    {
        var folder = CheckpointTestKit.NewFolder();
        try
        {
            using (CheckpointTestKit.Fit(CheckpointTestKit.Options(2, folder))) { }
            var options = CheckpointTestKit.Options(4, folder);
            options.ResumeFromLatest = true;
            var ml = new MLContext(1);
            var wide = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 6).Select(_ => new WideRow { Image = new float[128] }).ToList());
            var ex = Assert.ThrowsExactly<ArgumentException>(() => ml.Transforms.Diffusion(options).Fit(wide));
            Assert.AreEqual("ImageWidth", ex.ParamName);
            StringAssert.Contains(ex.Message, "1×8×8");
            StringAssert.Contains(ex.Message, "1×8×16");
        }
        finally
        {
            CheckpointTestKit.DeleteFolder(folder);
        }
    }

    [TestMethod]
    public void OnlyTheNewestAreKeptAndNoTemporaryFilesRemain()
    {
        var folder = CheckpointTestKit.NewFolder();
        try
        {
            var options = CheckpointTestKit.Options(10, folder);
            options.CheckpointEverySteps = 2;
            options.CheckpointsToKeep = 2;
            using (CheckpointTestKit.Fit(options)) { }
            var names = Directory.GetFiles(folder).Select(Path.GetFileName).Order().ToList();
            CollectionAssert.AreEqual(new[] { "checkpoint-0000000008.zip", "checkpoint-0000000010.zip" }, names);
            foreach (var path in Directory.GetFiles(folder)) TrainingCheckpoint.Verify(path);
        }
        finally
        {
            CheckpointTestKit.DeleteFolder(folder);
        }
    }

    [TestMethod]
    public void ResumeSkipsADamagedNewestCheckpointAndRemovesInterruptedWrites()
    {
        var folder = CheckpointTestKit.NewFolder();
        try
        {
            var options = CheckpointTestKit.Options(6, folder);
            options.CheckpointEverySteps = 2;
            using (CheckpointTestKit.Fit(options)) { }
            var newest = Path.Combine(folder, "checkpoint-0000000006.zip");
            var bytes = File.ReadAllBytes(newest);
            File.WriteAllBytes(newest, bytes[..(bytes.Length / 2)]);
            var leftover = Path.Combine(folder, ".tmp-checkpoint-0000000008.zip.123.abc");
            File.WriteAllBytes(leftover, bytes[..100]);

            var ml = new MLContext(1);
            var messages = new List<string>();
            ml.Log += (_, e) => messages.Add(e.RawMessage);
            var resume = CheckpointTestKit.Options(8, folder);
            resume.ResumeFromLatest = true;
            using var model = ml.Transforms.Diffusion(resume).Fit(ml.Data.LoadFromEnumerable(TinyData.Rows(6).ToList()));
            Assert.AreEqual(8, model.TrainedSteps);
            Assert.AreEqual(8, model.LossHistory.Count);
            Assert.IsTrue(messages.Any(m => m.StartsWith("Skipped checkpoint 'checkpoint-0000000006.zip'", StringComparison.Ordinal)), string.Join("\n", messages));
            Assert.IsTrue(messages.Any(m => m.StartsWith("Resuming from") && m.Contains("step 4")), string.Join("\n", messages));
            Assert.IsFalse(File.Exists(leftover), "temporary files of interrupted writes are removed");
        }
        finally
        {
            CheckpointTestKit.DeleteFolder(folder);
        }
    }

    [TestMethod]
    public void ResumeFromAGivenFileAndBadCheckpointOptions()
    {
        var folder = CheckpointTestKit.NewFolder();
        try
        {
            var options = CheckpointTestKit.Options(4, folder);
            options.CheckpointEverySteps = 2;
            using (CheckpointTestKit.Fit(options)) { }
            var resume = CheckpointTestKit.Options(5);
            resume.ResumeFrom = Path.Combine(folder, "checkpoint-0000000002.zip");
            using (var model = CheckpointTestKit.Fit(resume))
                Assert.AreEqual(5, model.TrainedSteps);

            var missing = CheckpointTestKit.Options(5);
            missing.ResumeFrom = Path.Combine(folder, "nope.zip");
            Assert.ThrowsExactly<FileNotFoundException>(() => CheckpointTestKit.Fit(missing));
            var ml = new MLContext(1);
            var zero = CheckpointTestKit.Options(5, folder);
            zero.CheckpointEverySteps = 0;
            Assert.AreEqual("CheckpointEverySteps", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.Diffusion(zero)).ParamName);
            var noFolder = CheckpointTestKit.Options(5);
            noFolder.ResumeFromLatest = true;
            Assert.AreEqual("CheckpointFolder", Assert.ThrowsExactly<ArgumentException>(() => ml.Transforms.Diffusion(noFolder)).ParamName);
        }
        finally
        {
            CheckpointTestKit.DeleteFolder(folder);
        }
    }
}
