// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

using System.Reflection;
using System.Runtime.InteropServices;

namespace Microsoft.ML.Data;

/// <summary>
/// Image decoding and encoding through libimgshim (OpenCV imgcodecs). Pixels cross the ABI interleaved in OpenCV
/// order: 1 = gray, 3 = BGR, 4 = BGRA. Every native failure becomes a .NET exception.
/// </summary>
internal static unsafe partial class ImageNative
{
    private const string LibraryName = "imgshim";
    private const string FileName = "libimgshim.so";

    static ImageNative()
    {
        NativeLibrary.SetDllImportResolver(typeof(ImageNative).Assembly, Resolve);
    }

    /// <summary>Decoded pixels: <c>width * height * channels</c> bytes.</summary>
    public readonly record struct Decoded(int Width, int Height, int Channels, byte[] Pixels);

    /// <summary>Decodes PNG/JPEG/BMP bytes; <paramref name="source"/> names the file in errors.</summary>
    public static Decoded Decode(ReadOnlySpan<byte> data, string source)
    {
        if (data.IsEmpty)
            throw new ArgumentException($"The image '{source}' is empty.");
        IntPtr handle;
        int width, height, channels;
        fixed (byte* p = data)
            handle = img_decode(p, data.Length, out width, out height, out channels);
        if (handle == IntPtr.Zero)
            throw new ArgumentException($"Cannot decode image '{source}': {LastError()}.");
        try
        {
            long length = (long)width * height * channels;
            if (width <= 0 || height <= 0 || channels is not (1 or 3 or 4) || length > Array.MaxLength)
                throw new ArgumentException($"Cannot decode image '{source}': unsupported geometry {width}x{height}x{channels}.");
            var pixels = new byte[length];
            fixed (byte* o = pixels)
            {
                if (img_copy(handle, o, length) != 0)
                    throw new ArgumentException($"Cannot decode image '{source}': {LastError()}.");
            }
            return new Decoded(width, height, channels, pixels);
        }
        finally
        {
            img_free(handle);
        }
    }

    /// <summary>Encodes interleaved pixels into the format of <paramref name="extension"/> (".png", ".jpg", ".bmp").</summary>
    public static byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, int channels, string extension, int quality, string target)
    {
        if (pixels.Length != (long)width * height * channels)
            throw new ArgumentException($"Cannot encode image '{target}': {pixels.Length} bytes do not match {width}x{height}x{channels}.");
        IntPtr handle;
        long length;
        fixed (byte* p = pixels)
            handle = img_encode(p, width, height, channels, extension, quality, out length);
        if (handle == IntPtr.Zero)
            throw new InvalidOperationException($"Cannot encode image '{target}' as {extension}: {LastError()}.");
        try
        {
            var bytes = new byte[length];
            fixed (byte* o = bytes)
            {
                if (img_copy(handle, o, length) != 0)
                    throw new InvalidOperationException($"Cannot encode image '{target}': {LastError()}.");
            }
            return bytes;
        }
        finally
        {
            img_free(handle);
        }
    }

    private static string LastError() => Marshal.PtrToStringUTF8(img_last_error()) ?? "unknown native error";

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != LibraryName)
            return IntPtr.Zero;
        var tried = new List<string>();
        foreach (var directory in CandidateDirectories())
        {
            string path = Path.Combine(directory, FileName);
            tried.Add(path);
            if (File.Exists(path) && NativeLibrary.TryLoad(path, out var handle))
                return handle;
        }
        throw new DllNotFoundException(
            $"Cannot load the native image codec library {FileName}. Tried: {string.Join(", ", tried)}. " +
            "Run ./build.sh to build it (it needs the apt package libopencv-imgcodecs-dev), or set DIFFUSION_NATIVE_DIR to its folder.");
    }

    private static IEnumerable<string> CandidateDirectories()
    {
        var env = Environment.GetEnvironmentVariable("DIFFUSION_NATIVE_DIR");
        if (!string.IsNullOrEmpty(env))
            yield return env;
        yield return AppContext.BaseDirectory;
        yield return Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native");
    }

    [LibraryImport(LibraryName)]
    private static partial IntPtr img_last_error();

    [LibraryImport(LibraryName)]
    private static partial IntPtr img_decode(byte* data, long length, out int width, out int height, out int channels);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr img_encode(byte* pixels, int width, int height, int channels, string ext, int quality, out long length);

    [LibraryImport(LibraryName)]
    private static partial int img_copy(IntPtr handle, byte* output, long length);

    [LibraryImport(LibraryName)]
    private static partial void img_free(IntPtr handle);
}
