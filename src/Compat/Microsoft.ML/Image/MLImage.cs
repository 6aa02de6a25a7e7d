// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

namespace Microsoft.ML.Data;

/// <summary>The pixel layout of an <see cref="MLImage"/>.</summary>
public enum MLPixelFormat
{
    /// <summary>Unknown.</summary>
    Unknown,

    /// <summary>Blue, green, red, alpha: one byte each.</summary>
    Bgra32,

    /// <summary>Red, green, blue, alpha: one byte each.</summary>
    Rgba32,
}

/// <summary>
/// An immutable 8-bit image, decoded and encoded through OpenCV's imgcodecs (PNG, JPEG, BMP). <see cref="Pixels"/>
/// always holds 4 bytes per pixel in <see cref="PixelFormat"/> order, as upstream; an image that is known to be
/// grayscale (decoded from a 1-channel file, or made gray) remembers it so that it saves back as 1-channel.
/// </summary>
public sealed class MLImage : IDisposable
{
    private readonly byte[] _pixels;
    private readonly int _width;
    private readonly int _height;
    private readonly MLPixelFormat _format;
    private string? _tag;
    private bool _disposed;

    private MLImage(byte[] pixels, int width, int height, MLPixelFormat format, bool isGrayscale)
    {
        _pixels = pixels;
        _width = width;
        _height = height;
        _format = format;
        IsGrayscale = isGrayscale;
    }

    /// <summary>Decodes an image from <paramref name="imageStream"/>.</summary>
    /// <exception cref="ArgumentException">The data is not a PNG, JPEG or BMP image.</exception>
    public static MLImage CreateFromStream(Stream imageStream)
    {
        ArgumentNullException.ThrowIfNull(imageStream);
        using var buffer = new MemoryStream();
        imageStream.CopyTo(buffer);
        return FromDecoded(ImageNative.Decode(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), "stream"));
    }

    /// <summary>Decodes the image file at <paramref name="imagePath"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ArgumentException">The file is not a PNG, JPEG or BMP image; the message names it.</exception>
    public static MLImage CreateFromFile(string imagePath)
    {
        if (string.IsNullOrEmpty(imagePath))
            throw new ArgumentException("Invalid path: the image path is null or empty.", nameof(imagePath));
        if (!File.Exists(imagePath))
            throw new FileNotFoundException($"The image file '{imagePath}' does not exist.", imagePath);
        var image = FromDecoded(ImageNative.Decode(File.ReadAllBytes(imagePath), imagePath));
        return image;
    }

    /// <summary>Creates an image from 4-byte pixels in <paramref name="pixelFormat"/> order (row-major, top-down).</summary>
    public static MLImage CreateFromPixels(int width, int height, MLPixelFormat pixelFormat, ReadOnlySpan<byte> imagePixelData)
    {
        if (pixelFormat is not (MLPixelFormat.Bgra32 or MLPixelFormat.Rgba32))
            throw new ArgumentException($"Unsupported pixel format {pixelFormat}; use Bgra32 or Rgba32.", nameof(pixelFormat));
        if (width <= 0)
            throw new ArgumentException($"Invalid width {width}; it must be positive.", nameof(width));
        if (height <= 0)
            throw new ArgumentException($"Invalid height {height}; it must be positive.", nameof(height));
        if (imagePixelData.Length != (long)width * height * 4)
            throw new ArgumentException($"Invalid pixel data length {imagePixelData.Length}; a {width}x{height} image needs {(long)width * height * 4} bytes.", nameof(imagePixelData));
        return new MLImage(imagePixelData.ToArray(), width, height, pixelFormat, false);
    }

    /// <summary>Creates a grayscale image from one byte per pixel; it saves as a 1-channel file.</summary>
    internal static MLImage CreateGrayscale(int width, int height, ReadOnlySpan<byte> gray)
    {
        if (width <= 0 || height <= 0 || gray.Length != (long)width * height)
            throw new ArgumentException($"Invalid grayscale data: {gray.Length} bytes for {width}x{height}.", nameof(gray));
        var pixels = new byte[gray.Length * 4];
        for (int i = 0; i < gray.Length; i++)
        {
            byte v = gray[i];
            pixels[4 * i] = v;
            pixels[4 * i + 1] = v;
            pixels[4 * i + 2] = v;
            pixels[4 * i + 3] = 255;
        }
        return new MLImage(pixels, width, height, MLPixelFormat.Bgra32, true);
    }

    /// <summary>Wraps a pixel buffer this library owns (no copy).</summary>
    internal static MLImage Wrap(byte[] pixels, int width, int height, MLPixelFormat format, bool isGrayscale) =>
        new(pixels, width, height, format, isGrayscale);

    /// <summary>The pixel layout.</summary>
    public MLPixelFormat PixelFormat => Checked(_format);

    /// <summary>The pixels as B, G, R bytes per pixel, alpha dropped (a property, as upstream).</summary>
    public byte[] GetBGRPixels
    {
        get
        {
            var src = Checked(_pixels);
            var bgr = new byte[_width * _height * 3];
            bool rgba = _format == MLPixelFormat.Rgba32;
            for (int i = 0, j = 0; i < src.Length; i += 4, j += 3)
            {
                bgr[j] = rgba ? src[i + 2] : src[i];
                bgr[j + 1] = src[i + 1];
                bgr[j + 2] = rgba ? src[i] : src[i + 2];
            }
            return bgr;
        }
    }

    /// <summary>The pixels: 4 bytes each in <see cref="PixelFormat"/> order, row-major, top-down.</summary>
    public ReadOnlySpan<byte> Pixels => Checked(_pixels);

    /// <summary>A free-form tag; image loading sets it to the file path.</summary>
    public string? Tag
    {
        get => Checked(_tag);
        set
        {
            Checked(0);
            _tag = value;
        }
    }

    /// <summary>The width in pixels.</summary>
    public int Width => Checked(_width);

    /// <summary>The height in pixels.</summary>
    public int Height => Checked(_height);

    /// <summary>Always 32.</summary>
    public int BitsPerPixel => Checked(32);

    /// <summary>Whether the image is known to be grayscale, so that saving keeps one channel.</summary>
    internal bool IsGrayscale { get; }

    /// <summary>Encodes the image into the format given by the extension: .png, .jpg/.jpeg (quality 100) or .bmp.</summary>
    /// <exception cref="ArgumentException">The extension is not one of those.</exception>
    public void Save(string imagePath)
    {
        if (string.IsNullOrEmpty(imagePath))
            throw new ArgumentException("Invalid path: the image path is null or empty.", nameof(imagePath));
        string extension = Path.GetExtension(imagePath).ToLowerInvariant();
        if (extension is not (".png" or ".jpg" or ".jpeg" or ".bmp"))
        {
            throw new ArgumentException(extension.Length == 0 || !KnownExtension(extension)
                ? $"Path has invalid image file extension: '{imagePath}'."
                : $"Cannot save '{imagePath}': {extension} images cannot be encoded. Try save it with .png, .jpg or .bmp format.", nameof(imagePath));
        }
        File.WriteAllBytes(imagePath, Encode(extension, imagePath));
    }

    internal byte[] Encode(string extension, string target)
    {
        var src = Checked(_pixels);
        bool jpeg = extension is ".jpg" or ".jpeg";
        int n = _width * _height;
        if (IsGrayscale)
        {
            var gray = new byte[n];
            for (int i = 0; i < n; i++)
                gray[i] = src[4 * i + 1];
            return ImageNative.Encode(gray, _width, _height, 1, extension, 100, target);
        }
        bool opaque = true;
        for (int i = 3; i < src.Length && opaque; i += 4)
            opaque = src[i] == 255;
        // JPEG has no alpha; other formats keep it only when some pixel uses it, so opaque images round-trip as RGB.
        int channels = jpeg || opaque ? 3 : 4;
        var data = new byte[n * channels];
        bool rgba = _format == MLPixelFormat.Rgba32;
        for (int i = 0; i < n; i++)
        {
            int s = 4 * i, d = channels * i;
            data[d] = rgba ? src[s + 2] : src[s];
            data[d + 1] = src[s + 1];
            data[d + 2] = rgba ? src[s] : src[s + 2];
            if (channels == 4)
                data[d + 3] = src[s + 3];
        }
        return ImageNative.Encode(data, _width, _height, channels, extension, 100, target);
    }

    /// <summary>Marks the image disposed; every member throws afterwards, as upstream.</summary>
    public void Dispose() => _disposed = true;

    internal byte[] RawPixels => Checked(_pixels);

    private static MLImage FromDecoded(ImageNative.Decoded decoded)
    {
        int n = decoded.Width * decoded.Height;
        var pixels = new byte[n * 4];
        var src = decoded.Pixels;
        for (int i = 0; i < n; i++)
        {
            int d = 4 * i;
            switch (decoded.Channels)
            {
                case 1:
                    pixels[d] = pixels[d + 1] = pixels[d + 2] = src[i];
                    pixels[d + 3] = 255;
                    break;
                case 3:
                    pixels[d] = src[3 * i];
                    pixels[d + 1] = src[3 * i + 1];
                    pixels[d + 2] = src[3 * i + 2];
                    pixels[d + 3] = 255;
                    break;
                default:
                    pixels[d] = src[d];
                    pixels[d + 1] = src[d + 1];
                    pixels[d + 2] = src[d + 2];
                    pixels[d + 3] = src[d + 3];
                    break;
            }
        }
        return new MLImage(pixels, decoded.Width, decoded.Height, MLPixelFormat.Bgra32, decoded.Channels == 1);
    }

    private static bool KnownExtension(string extension) =>
        extension is ".gif" or ".ico" or ".astc" or ".avif" or ".dng" or ".heif" or ".ktx" or ".pkm" or ".wbmp" or ".webp";

    private T Checked<T>(T value) => _disposed ? throw new InvalidOperationException("Object is disposed.") : value;
}
