using System.Text;

namespace Microsoft.ML.Diffusion.Tests;

/// <summary>
/// A folder that holds a damaged checkpoint: pruning never trades the run's good checkpoints for it, and a resume says
/// which files it skipped and why.
/// </summary>
[TestClass]
public class CheckpointPruningTests
{
    private const string DamagedName = "checkpoint-0000000300.zip";

    /// <summary>A real checkpoint with one bit flipped inside UNet.dat's compressed data.</summary>
    private static byte[] DamagedCheckpoint()
    {
        var bytes = CheckpointTestKit.TinyCheckpoint(3);
        var name = Encoding.UTF8.GetBytes("Checkpoint/UNet.dat");
        int at = bytes.AsSpan().IndexOf(name) + name.Length + 60;
        bytes[at] ^= 0x10;
        Assert.ThrowsExactly<InvalidDataException>(() => TrainingCheckpoint.Verify(new MemoryStream(bytes), "damaged.zip"));
        return bytes;
    }

    private static (DiffusionSamplerTransformer model, List<string> messages) Fit(DiffusionEstimator.Options options)
    {
        var ml = new MLContext(1);
        var messages = new List<string>();
        ml.Log += (_, e) => messages.Add(e.RawMessage);
        var model = ml.Transforms.Diffusion(options).Fit(ml.Data.LoadFromEnumerable(TinyData.Rows(6).ToList()));
        return (model, messages);
    }

    [TestMethod]
    public void PruningKeepsTheRunsGoodCheckpointBesideADamagedNewerOne()
    {
        var folder = CheckpointTestKit.NewFolder();
        try
        {
            var damaged = DamagedCheckpoint();
            File.WriteAllBytes(Path.Combine(folder, DamagedName), damaged);
            var options = CheckpointTestKit.Options(6, folder);
            options.CheckpointEverySteps = 2;
            options.CheckpointsToKeep = 1;
            using (Fit(options).model) { }

            var names = Directory.GetFiles(folder).Select(Path.GetFileName).Order().ToList();
            CollectionAssert.AreEqual(new[] { "checkpoint-0000000006.zip", DamagedName }, names, "the run's newest checkpoint is kept; the damaged file is left alone, not counted");
            CollectionAssert.AreEqual(damaged, File.ReadAllBytes(Path.Combine(folder, DamagedName)), "the damaged file is not changed");
            TrainingCheckpoint.Verify(Path.Combine(folder, "checkpoint-0000000006.zip"));

            var resume = CheckpointTestKit.Options(8, folder);
            resume.ResumeFromLatest = true;
            var (model, messages) = Fit(resume);
            using (model) Assert.AreEqual(8, model.TrainedSteps);
            string log = string.Join("\n", messages);
            Assert.IsTrue(messages.Any(m => m.StartsWith($"Skipped checkpoint '{DamagedName}'", StringComparison.Ordinal) && m.Contains("Checkpoint/UNet.dat")), log);
            Assert.IsTrue(messages.Any(m => m.StartsWith("Resuming from", StringComparison.Ordinal) && m.Contains("step 6")), log);
        }
        finally
        {
            CheckpointTestKit.DeleteFolder(folder);
        }
    }

    [TestMethod]
    public void PruningCountsOnlyCheckpointsThatVerify()
    {
        var folder = CheckpointTestKit.NewFolder();
        try
        {
            File.WriteAllBytes(Path.Combine(folder, DamagedName), DamagedCheckpoint());
            var options = CheckpointTestKit.Options(6, folder);
            options.CheckpointEverySteps = 2;
            options.CheckpointsToKeep = 2;
            using (Fit(options).model) { }
            var names = Directory.GetFiles(folder).Select(Path.GetFileName).Order().ToList();
            CollectionAssert.AreEqual(new[] { "checkpoint-0000000004.zip", "checkpoint-0000000006.zip", DamagedName }, names);
        }
        finally
        {
            CheckpointTestKit.DeleteFolder(folder);
        }
    }

    [TestMethod]
    public void ResumeFromAFolderOfOnlyDamagedCheckpointsFailsNamingEachFile()
    {
        var folder = CheckpointTestKit.NewFolder();
        try
        {
            File.WriteAllBytes(Path.Combine(folder, DamagedName), DamagedCheckpoint());
            File.WriteAllBytes(Path.Combine(folder, "checkpoint-0000000200.zip"), Encoding.UTF8.GetBytes("not a zip"));
            var resume = CheckpointTestKit.Options(4, folder);
            resume.ResumeFromLatest = true;
            var e = Assert.ThrowsExactly<InvalidDataException>(() => Fit(resume));
            StringAssert.Contains(e.Message, DamagedName);
            StringAssert.Contains(e.Message, "Checkpoint/UNet.dat");
            StringAssert.Contains(e.Message, "checkpoint-0000000200.zip");
            StringAssert.Contains(e.Message, "ResumeFromLatest");
            Assert.AreEqual(2, Directory.GetFiles(folder).Length, "nothing is deleted or written");
        }
        finally
        {
            CheckpointTestKit.DeleteFolder(folder);
        }
    }
}
