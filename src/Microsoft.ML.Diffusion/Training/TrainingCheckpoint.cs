using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion;

/// <summary>
/// A training checkpoint: a zip in a guarded zip container (<see cref="GuardedArchiveReader"/>: entry paths,
/// sizes and CRCs are checked and nothing is extracted to disk) holding, under <c>Checkpoint/</c>:
/// <c>Manifest.json</c> (<see cref="CheckpointManifest"/>), <c>Options.json</c>, <c>UNet.dat</c> (<c>Vae.dat</c> for a VAE), <c>Ema.dat</c>,
/// <c>Optimizer.bin</c> (Adam's state), <c>Generator.dat</c> and <c>DefaultGenerator.dat</c> (generator states),
/// <c>Permutation.dat</c> (the epoch's data order, absent at an epoch boundary) and <c>LossHistory.bin</c>.
/// Every malformed file fails with an <see cref="InvalidDataException"/> naming the file and entry.
/// </summary>
internal sealed class TrainingCheckpoint : IDisposable
{
    private const string Folder = "Checkpoint/";

    private TrainingCheckpoint(string source, CheckpointManifest manifest, JsonObject options)
    {
        Source = source;
        Manifest = manifest;
        Options = options;
    }

    public string Source { get; }

    public CheckpointManifest Manifest { get; }

    /// <summary>The options the run was started with (see <see cref="CheckpointOptions"/>).</summary>
    public JsonObject Options { get; }

    // The loaded state is internal (not private) so that the fuzz tests can compare what a damaged file loaded with the original.
    internal Dictionary<string, Tensor> Weights { get; private set; } = [];

    internal Dictionary<string, Tensor> EmaWeights { get; private set; } = [];

    internal byte[] OptimizerState { get; private set; } = [];

    internal Tensor? Permutation { get; private set; }

    internal Tensor? GeneratorState { get; private set; }

    internal Tensor? DefaultGeneratorState { get; private set; }

    internal List<float> Losses { get; private set; } = [];

    /// <summary>Writes the state of a run; the default generator's state is read here, so call it between steps.</summary>
    public static void Write(Stream stream, TrainingState state, JsonObject options, long images, int seed, TimeSpan elapsed)
    {
        byte[] optimizer;
        using (var buffer = new MemoryStream())
        {
            using (var w = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
                state.Optimizer.save_state_dict(w);
            optimizer = buffer.ToArray();
        }
        var manifest = new CheckpointManifest(CheckpointManifest.CurrentFormat, state.Step, state.Epoch, state.Permutation is null ? 0 : state.Position,
            state.Averager.Updates, elapsed.TotalSeconds, state.SmoothedLoss, images, seed, state.Network.UNet, DateTime.UtcNow,
            Convert.ToHexString(SHA256.HashData(optimizer))) { WrittenBy = PackageVersion.WrittenBy, VaeArchitecture = state.Network.Vae };
        using var repository = new GuardedArchiveWriter(stream);
        repository.WriteEntry(Folder + "Manifest.json", s => WriteText(s, GuardedJson.Write(manifest)));
        repository.WriteEntry(Folder + "Options.json", s => WriteText(s, options.ToJsonString(GuardedJson.Options)));
        repository.WriteEntry(Folder + state.Network.WeightsEntry, s => StateDictEntry.Write(s, state.Model));
        repository.WriteEntry(Folder + "Ema.dat", s => StateDictEntry.Write(s, state.Ema));
        repository.WriteEntry(Folder + "Optimizer.bin", s => s.Write(optimizer));
        repository.WriteEntry(Folder + "Generator.dat", s => WriteTensor(s, state.Generator.get_state()));
        repository.WriteEntry(Folder + "DefaultGenerator.dat", s => WriteTensor(s, torch.random.get_rng_state()));
        if (state.Permutation is not null)
            repository.WriteEntry(Folder + "Permutation.dat", s => WriteTensor(s, state.Permutation.alias()));
        repository.WriteEntry(Folder + "LossHistory.bin", s =>
        {
            using var w = new BinaryWriter(s, System.Text.Encoding.UTF8, leaveOpen: true);
            w.Write(state.Losses.Count);
            foreach (var l in state.Losses) w.Write(l);
        });
    }

    /// <summary>Reads and checks a checkpoint file; the architecture is bounded before any network is built.</summary>
    public static TrainingCheckpoint Read(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            return Read(stream, path);
        }
        catch (Exception e) when (e is IOException and not (FileNotFoundException or DirectoryNotFoundException) or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"Checkpoint '{path}' cannot be read: {e.Message}", e);
        }
    }

    /// <summary>Reads and checks a checkpoint from a stream; <paramref name="name"/> names it in errors.</summary>
    public static TrainingCheckpoint Read(Stream stream, string name)
    {
        TrainingCheckpoint? checkpoint = null;
        try
        {
            using var repository = new GuardedArchiveReader(stream);
            string manifestText = Text(repository, "Manifest.json");
            CheckpointManifest.CheckFormat(GuardedJson.Parse<JsonObject>(manifestText, Folder + "Manifest.json"), Folder + "Manifest.json");
            var manifest = GuardedJson.Parse<CheckpointManifest>(manifestText, Folder + "Manifest.json");
            manifest.Validate(Folder + "Manifest.json");
            var options = GuardedJson.Parse<JsonObject>(Text(repository, "Options.json"), Folder + "Options.json");
            checkpoint = new TrainingCheckpoint(name, manifest, options);
            checkpoint.Weights = ReadWeights(repository, manifest.Network.WeightsEntry);
            checkpoint.EmaWeights = ReadWeights(repository, "Ema.dat");
            manifest.Network.Check(StateDictEntry.Elements(checkpoint.Weights), Folder + "Manifest.json");
            checkpoint.OptimizerState = repository.ReadAll(Folder + "Optimizer.bin", GuardedArchiveReader.MaxEntryBytes);
            // TorchSharp's load_state_dict trusts its input (a damaged state crashed the process in libc's memcpy),
            // so the bytes must be the ones this library wrote.
            if (!Convert.ToHexString(SHA256.HashData(checkpoint.OptimizerState)).Equals(manifest.OptimizerSha256, StringComparison.OrdinalIgnoreCase))
                throw new InvalidDataException($"Entry '{Folder}Optimizer.bin' does not match the hash in '{Folder}Manifest.json' (the optimizer state is damaged).");
            checkpoint.GeneratorState = ReadGeneratorState(repository, "Generator.dat");
            checkpoint.DefaultGeneratorState = ReadGeneratorState(repository, "DefaultGenerator.dat");
            checkpoint.Permutation = ReadPermutation(repository, manifest);
            checkpoint.Losses = ReadLosses(repository, manifest.Step);
            return checkpoint;
        }
        catch (Exception e) when (e is InvalidDataException or FormatException)
        {
            checkpoint?.Dispose();
            throw new InvalidDataException($"Checkpoint '{name}' is invalid: {e.Message}", e);
        }
        catch
        {
            checkpoint?.Dispose();
            throw;
        }
    }

    /// <summary>Loads a checkpoint completely into scratch networks, optimizer and generator: true proof that a resume would succeed.</summary>
    public static void Verify(string path)
    {
        using var checkpoint = Read(path);
        checkpoint.RestoreIntoScratch();
    }

    /// <summary>As <see cref="Verify(string)"/>, for a checkpoint in a stream.</summary>
    public static void Verify(Stream stream, string name)
    {
        using var checkpoint = Read(stream, name);
        checkpoint.RestoreIntoScratch();
    }

    /// <summary>Restores the checkpoint into scratch networks, optimizer and generator, leaving the live ones alone; throws as <see cref="Restore"/> does.</summary>
    public void RestoreIntoScratch()
    {
        using var model = Manifest.Network.Build();
        using var ema = Manifest.Network.Build();
        // The optimizer the run used: its state is read into an optimizer of that kind.
        var kind = OptimizerKind();
        using OptimizerHelper optimizer = kind == DiffusionOptimizer.AdamW ? optim.AdamW(model.parameters()) : optim.Adam(model.parameters());
        using var generator = new Generator(0);
        var rng = torch.random.get_rng_state();
        try
        {
            var state = new TrainingState { Model = model, Ema = ema, Network = Manifest.Network, Averager = new ExponentialMovingAverage(model, ema, 0.5, true), Optimizer = optimizer, Generator = generator };
            Restore(state);
            state.SetPermutation(null);
        }
        finally
        {
            torch.random.set_rng_state(rng);
            rng.Dispose();
        }
    }

    private DiffusionOptimizer OptimizerKind()
    {
        const string Name = nameof(DiffusionEstimator.Options.Optimizer);
        try
        {
            var kind = Options[Name].Deserialize<DiffusionOptimizer>(GuardedJson.Options);
            if (Enum.IsDefined(kind)) return kind;
        }
        catch (JsonException)
        {
        }
        throw new InvalidDataException($"Checkpoint '{Source}' is invalid: entry '{Folder}Options.json' records no known {Name} (Adam or AdamW).");
    }

    /// <summary>Copies the checkpoint into a freshly built run; the networks must have the checkpoint's architecture.</summary>
    public void Restore(TrainingState state)
    {
        try
        {
            StateDictEntry.Apply(Weights, state.Model, Folder + Manifest.Network.WeightsEntry);
            StateDictEntry.Apply(EmaWeights, state.Ema, Folder + "Ema.dat");
            using (var stream = new MemoryStream(OptimizerState, writable: false))
            using (var reader = new BinaryReader(stream))
            {
                try
                {
                    state.Optimizer.load_state_dict(reader);
                }
                catch (Exception e) when (e is IOException or ArgumentException or FormatException or ExternalException or OverflowException or InvalidOperationException)
                {
                    throw new InvalidDataException($"Entry '{Folder}Optimizer.bin' is not a valid optimizer state: {e.Message}", e);
                }
                if (stream.Position != stream.Length)
                    throw new InvalidDataException($"Entry '{Folder}Optimizer.bin' has {stream.Length - stream.Position} bytes after the optimizer state.");
            }
            SetState(state.Generator, GeneratorState!, "Generator.dat");
            SetState(Generator.Default, DefaultGeneratorState!, "DefaultGenerator.dat");
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"Checkpoint '{Source}' is invalid: {e.Message}", e);
        }
        state.Averager.Updates = Manifest.EmaUpdates;
        state.Step = Manifest.Step;
        state.Epoch = Manifest.Epoch;
        state.SetPermutation(Permutation?.alias());
        state.Position = Manifest.Position;
        state.Losses.Clear();
        state.Losses.AddRange(Losses);
        state.SmoothedLoss = Manifest.SmoothedLoss;
        state.ElapsedBefore = TimeSpan.FromSeconds(Manifest.ElapsedSeconds);
    }

    public void Dispose()
    {
        StateDictEntry.Dispose(Weights);
        StateDictEntry.Dispose(EmaWeights);
        Permutation?.Dispose();
        GeneratorState?.Dispose();
        DefaultGeneratorState?.Dispose();
    }

    private static void WriteText(Stream s, string text)
    {
        using var w = new StreamWriter(s, new System.Text.UTF8Encoding(false), leaveOpen: true);
        w.Write(text);
    }

    private static void WriteTensor(Stream s, Tensor tensor)
    {
        using (tensor)
        using (var w = new BinaryWriter(s, System.Text.Encoding.UTF8, leaveOpen: true))
            tensor.Save(w);
    }

    private static string Text(GuardedArchiveReader repository, string name)
    {
        var bytes = repository.ReadAll(Folder + name, 1 << 20);
        try
        {
            return new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"Entry '{Folder}{name}' is not UTF-8 text.", e);
        }
    }

    private static Dictionary<string, Tensor> ReadWeights(GuardedArchiveReader repository, string name)
    {
        using var stream = repository.Open(Folder + name);
        return StateDictEntry.Read(stream, Folder + name);
    }

    private static Tensor ReadTensor(GuardedArchiveReader repository, string name)
    {
        using var stream = repository.Open(Folder + name);
        using var reader = new BinaryReader(stream);
        StateDictEntry.CheckTensorHeader(reader, Folder + name, "tensor");
        var tensor = TensorExtensionMethods.Load(reader)!;
        if (stream.Position != stream.Length)
        {
            tensor.Dispose();
            throw new InvalidDataException($"Entry '{Folder}{name}' has {stream.Length - stream.Position} bytes after its tensor.");
        }
        return tensor;
    }

    // A generator state is an opaque byte vector whose length libtorch fixes; compare with a live one.
    private static Tensor ReadGeneratorState(GuardedArchiveReader repository, string name)
    {
        var tensor = ReadTensor(repository, name);
        using var reference = torch.random.get_rng_state();
        if (tensor.dtype != ScalarType.Byte || !tensor.shape.SequenceEqual(reference.shape))
        {
            var message = $"Entry '{Folder}{name}' is a {tensor.dtype} [{string.Join(", ", tensor.shape)}] tensor, not a generator state (Byte [{string.Join(", ", reference.shape)}]).";
            tensor.Dispose();
            throw new InvalidDataException(message);
        }
        if (InvalidMersenneTwister(tensor) is string problem)
        {
            tensor.Dispose();
            throw new InvalidDataException($"Entry '{Folder}{name}' is not a valid generator state: {problem}.");
        }
        return tensor;
    }

    // libtorch's CPUGeneratorImpl::set_state aborts the process on an invalid mt19937 state ("Invalid mt19937 state":
    // TorchSharp's THSGenerator_set_rng_state has no error guard), so its check is made here first. The state starts
    // with libtorch's CPUGeneratorImplStateLegacy: uint64 the_initial_seed, int32 left, int32 seeded, uint64 next.
    private static string? InvalidMersenneTwister(Tensor state)
    {
        const int StateWords = 624;
        var bytes = state.data<byte>().ToArray();
        int left = BitConverter.ToInt32(bytes, 8), seeded = BitConverter.ToInt32(bytes, 12);
        ulong next = BitConverter.ToUInt64(bytes, 16);
        if (seeded != 1) return $"it is not seeded (seeded = {seeded})";
        if (left is < 1 or > StateWords) return $"its position left = {left} is outside 1…{StateWords}";
        if (next > StateWords) return $"its position next = {next} is outside 0…{StateWords}";
        return null;
    }

    private static Tensor? ReadPermutation(GuardedArchiveReader repository, CheckpointManifest manifest)
    {
        const string Name = "Permutation.dat";
        if (!repository.Contains(Folder + Name))
        {
            if (manifest.Position != 0)
                throw new InvalidDataException($"Entry '{Folder}Manifest.json' declares position {manifest.Position} in an epoch, but '{Folder}{Name}' is missing.");
            return null;
        }
        var tensor = ReadTensor(repository, Name);
        if (tensor.dtype != ScalarType.Int64 || !tensor.shape.SequenceEqual([manifest.Images]) || !IsPermutation(tensor.data<long>().ToArray()))
        {
            tensor.Dispose();
            throw new InvalidDataException($"Entry '{Folder}{Name}' is not a permutation of the {manifest.Images} training images.");
        }
        return tensor;
    }

    private static bool IsPermutation(long[] values)
    {
        var seen = new bool[values.Length];
        foreach (var v in values)
        {
            if (v < 0 || v >= values.Length || seen[v]) return false;
            seen[v] = true;
        }
        return true;
    }

    private static List<float> ReadLosses(GuardedArchiveReader repository, long steps)
    {
        const string Name = "LossHistory.bin";
        var bytes = repository.ReadAll(Folder + Name, GuardedArchiveReader.MaxEntryBytes);
        if (bytes.Length < 4 || BitConverter.ToInt32(bytes) is var n && (n < 0 || (long)n * 4 != bytes.Length - 4 || n != steps))
            throw new InvalidDataException($"Entry '{Folder}{Name}' does not hold one loss for each of the {steps} steps.");
        return [.. MemoryMarshal.Cast<byte, float>(bytes.AsSpan(4))];
    }

    private static void SetState(Generator generator, Tensor state, string name)
    {
        try
        {
            generator.set_state(state);
        }
        catch (ExternalException e)
        {
            throw new InvalidDataException($"Entry '{Folder}{name}' is not a valid generator state: {e.Message}", e);
        }
    }
}
