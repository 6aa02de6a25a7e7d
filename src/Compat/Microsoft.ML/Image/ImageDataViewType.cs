// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

using Microsoft.ML.Data;

namespace Microsoft.ML.Transforms.Image;

/// <summary>The column type of <see cref="MLImage"/> values, with a known size or unknown (0, 0).</summary>
public sealed class ImageDataViewType : StructuredDataViewType
{
    /// <summary>The height in pixels; 0 when unknown.</summary>
    public readonly int Height;

    /// <summary>The width in pixels; 0 when unknown.</summary>
    public readonly int Width;

    /// <summary>Images of <paramref name="height"/> by <paramref name="width"/> pixels.</summary>
    public ImageDataViewType(int height, int width)
        : base(typeof(MLImage))
    {
        if (height <= 0)
            throw new ArgumentOutOfRangeException(nameof(height), $"The image height must be positive; got {height}.");
        if (width <= 0)
            throw new ArgumentOutOfRangeException(nameof(width), $"The image width must be positive; got {width}.");
        if ((long)height * width > int.MaxValue / 4)
            throw new ArgumentOutOfRangeException(nameof(height), $"The image size {height}x{width} is too large.");
        Height = height;
        Width = width;
    }

    /// <summary>Images of unknown size.</summary>
    public ImageDataViewType()
        : base(typeof(MLImage))
    {
    }

    /// <inheritdoc/>
    public override bool Equals(DataViewType? other) => other is ImageDataViewType i && i.Height == Height && i.Width == Width;

    /// <inheritdoc/>
    public override bool Equals(object? other) => other is DataViewType t && Equals(t);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Height, Width);

    /// <inheritdoc/>
    public override string ToString() => Height == 0 && Width == 0 ? "Image" : $"Image<{Height}, {Width}>";
}

/// <summary>Declares an <see cref="MLImage"/> POCO member as an image column of a known size.</summary>
public sealed class ImageTypeAttribute : DataViewTypeAttribute
{
    /// <summary>An image of unknown size.</summary>
    public ImageTypeAttribute()
    {
    }

    /// <summary>An image of <paramref name="height"/> by <paramref name="width"/> pixels (note the order).</summary>
    public ImageTypeAttribute(int height, int width)
    {
        if (height <= 0)
            throw new ArgumentOutOfRangeException(nameof(height), $"The image height must be positive; got {height}.");
        if (width <= 0)
            throw new ArgumentOutOfRangeException(nameof(width), $"The image width must be positive; got {width}.");
        Height = height;
        Width = width;
    }

    internal int Height { get; }

    internal int Width { get; }

    /// <inheritdoc/>
    public override bool Equals(DataViewTypeAttribute? other) => other is ImageTypeAttribute a && a.Height == Height && a.Width == Width;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Height, Width);

    /// <inheritdoc/>
    public override void Register() =>
        DataViewTypeManager.Register(Height == 0 ? new ImageDataViewType() : new ImageDataViewType(Height, Width), typeof(MLImage), this);
}
