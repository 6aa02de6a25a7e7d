namespace Microsoft.ML.Diffusion;

/// <summary>The number format the network is evaluated in while sampling; the sampler's own arithmetic stays float32.</summary>
public enum SamplingPrecision
{
    /// <summary>float32 throughout (the default; bit-identical images across runs and after save and load).</summary>
    Float32 = 0,

    /// <summary>
    /// The network in bfloat16: about 1.5–2× faster on CPUs with AVX512-BF16 or AMX, where oneDNN runs bfloat16
    /// convolutions; images differ slightly from float32 ones (docs/quality.md measures the Fréchet distance of both).
    /// Still deterministic per row.
    /// </summary>
    BFloat16 = 1,
}
