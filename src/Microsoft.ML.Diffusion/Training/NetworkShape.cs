using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion;

/// <summary>The network a training run (and its checkpoints) trains: a diffusion U-Net or a VAE.</summary>
internal sealed record NetworkShape(UNetArchitecture? UNet, VaeArchitecture? Vae)
{
    public static implicit operator NetworkShape(UNetArchitecture unet) => new(unet, null);

    public static implicit operator NetworkShape(VaeArchitecture vae) => new(null, vae);

    public bool IsVae => Vae is not null;

    /// <summary>"diffusion U-Net" or "variational autoencoder", for messages.</summary>
    public string Kind => IsVae ? "variational autoencoder" : "diffusion U-Net";

    /// <summary>The checkpoint entry of the weights.</summary>
    public string WeightsEntry => IsVae ? "Vae.dat" : "UNet.dat";

    public int ImageChannels => Vae?.ImageChannels ?? UNet!.ImageChannels;

    public int ImageHeight => Vae?.ImageHeight ?? UNet!.ImageHeight;

    public int ImageWidth => Vae?.ImageWidth ?? UNet!.ImageWidth;

    public int ClassCount => UNet?.ClassCount ?? 0;

    /// <summary>A freshly initialised network of this shape.</summary>
    public nn.Module Build() => IsVae ? new VaeModel(Vae!) : new UNetModel(UNet!);

    /// <summary>Refuses a shape no network can be built with, or whose weights hold another number of values, before building it.</summary>
    public void Check(long weightElements, string entry)
    {
        if (IsVae)
        {
            if (Vae!.Check() is { } violation) throw violation.ForEntry(entry);
            return;
        }
        ArchitectureBounds.Check(UNet!, weightElements, entry);
    }
}
