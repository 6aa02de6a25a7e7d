namespace TorchSharp;

/// <summary>How convolution and padding fill the border.</summary>
public enum PaddingModes
{
    /// <summary>Zeros.</summary>
    Zeros = 0,
    /// <summary>Reflection of the input.</summary>
    Reflect = 1,
    /// <summary>Replication of the edge.</summary>
    Replicate = 2,
    /// <summary>Wrap-around.</summary>
    Circular = 3,
    /// <summary>A constant value.</summary>
    Constant = 4,
}

/// <summary>Symbolic convolution padding.</summary>
public enum Padding
{
    /// <summary>No padding.</summary>
    Valid = 0,
    /// <summary>Output as large as the input (stride 1).</summary>
    Same = 1,
}

public static partial class torch
{
    /// <summary>Algorithms of <c>nn.Upsample</c>.</summary>
    public enum UpsampleMode
    {
        /// <summary>Nearest neighbour.</summary>
        Nearest = 0,
        /// <summary>Linear (1-D).</summary>
        Linear = 1,
        /// <summary>Bilinear (2-D).</summary>
        Bilinear = 2,
        /// <summary>Bicubic (2-D).</summary>
        Bicubic = 3,
        /// <summary>Trilinear (3-D).</summary>
        Trilinear = 4,
    }

    /// <summary>Algorithms of <c>nn.functional.interpolate</c>.</summary>
    public enum InterpolationMode
    {
        /// <summary>Nearest neighbour.</summary>
        Nearest = 0,
        /// <summary>Linear (1-D).</summary>
        Linear = 1,
        /// <summary>Bilinear (2-D).</summary>
        Bilinear = 2,
        /// <summary>Bicubic (2-D).</summary>
        Bicubic = 3,
        /// <summary>Trilinear (3-D).</summary>
        Trilinear = 4,
        /// <summary>Area averaging.</summary>
        Area = 5,
        /// <summary>Exact nearest neighbour.</summary>
        NearestExact = 6,
    }

    public static partial class nn
    {
        /// <summary>How a loss reduces over the batch.</summary>
        public enum Reduction : long
        {
            /// <summary>No reduction: one loss per element.</summary>
            None = 0,
            /// <summary>The mean.</summary>
            Mean = 1,
            /// <summary>The sum.</summary>
            Sum = 2,
        }
    }
}
