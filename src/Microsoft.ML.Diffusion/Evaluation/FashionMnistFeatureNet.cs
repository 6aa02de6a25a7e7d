using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion.Evaluation;

/// <summary>
/// The bundled Fashion-MNIST classifier, whose penultimate layer supplies the features of the Fréchet distance:
/// three 3×3 convolutions (28 → 26 → pool 13 → 11 → pool 5 → 3) and a 576 → 128 layer, then 128 → 10 logits.
/// About 131k parameters, so the float32 weights stay near 0.5 MB.
/// </summary>
internal sealed class FashionMnistFeatureNet : nn.Module<Tensor, Tensor>
{
    public const int FeatureDimension = 128;
    public const int ClassCount = 10;

    private readonly Conv2d conv1;
    private readonly Conv2d conv2;
    private readonly Conv2d conv3;
    private readonly Linear fc1;
    private readonly Dropout dropout;
    private readonly Linear fc2;

    public FashionMnistFeatureNet() : base(nameof(FashionMnistFeatureNet))
    {
        conv1 = nn.Conv2d(1, 32, 3);
        conv2 = nn.Conv2d(32, 64, 3);
        conv3 = nn.Conv2d(64, 64, 3);
        fc1 = nn.Linear(64 * 3 * 3, FeatureDimension);
        dropout = nn.Dropout(0.3);
        fc2 = nn.Linear(FeatureDimension, ClassCount);
        RegisterComponents();
    }

    /// <summary>The 128-d post-ReLU penultimate features of images (N, 1, 28, 28) with intensities in [0, 1].</summary>
    public Tensor Features(Tensor images)
    {
        using var scope = NewDisposeScope();
        // Centring the input at 0 speeds up training; the mapping is part of the network, not of its callers.
        var x = images * 2 - 1;
        x = nn.functional.max_pool2d(nn.functional.relu(conv1.call(x)), [2, 2]);
        x = nn.functional.max_pool2d(nn.functional.relu(conv2.call(x)), [2, 2]);
        x = nn.functional.relu(conv3.call(x)).flatten(1);
        return nn.functional.relu(fc1.call(x)).MoveToOuterDisposeScope();
    }

    /// <summary>Class logits from penultimate features.</summary>
    public Tensor Classify(Tensor features) => fc2.call(dropout.call(features));

    /// <summary>Class logits of images (N, 1, 28, 28) in [0, 1].</summary>
    public override Tensor forward(Tensor images)
    {
        using var scope = NewDisposeScope();
        return Classify(Features(images)).MoveToOuterDisposeScope();
    }
}
