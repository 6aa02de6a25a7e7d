// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

namespace Microsoft.ML;

/// <summary>
/// Identifies a saved component and its format version. Internal upstream; public here so that other packages can
/// persist transformers. Versions follow upstream's convention: 0x0001000N with a history comment per bump.
/// </summary>
public readonly struct VersionInfo
{
    /// <summary>Eight ASCII characters naming the payload format, packed little-endian.</summary>
    public readonly ulong ModelSignature;

    /// <summary>The version this code writes.</summary>
    public readonly uint VerWrittenCur;

    /// <summary>The oldest reader version that can read what this code writes.</summary>
    public readonly uint VerReadableCur;

    /// <summary>The oldest written version this code can still read.</summary>
    public readonly uint VerWeCanReadBack;

    /// <summary>The assembly that holds the loader (recorded for diagnostics; never used to load types).</summary>
    public readonly string LoaderAssemblyName;

    /// <summary>The name the loader is registered under in <see cref="ModelLoaderCatalog"/> (at most 24 ASCII characters).</summary>
    public readonly string LoaderSignature;

    /// <summary>An alternative loader name, or null.</summary>
    public readonly string? LoaderSignatureAlt;

    /// <summary>Creates version information.</summary>
    public VersionInfo(string modelSignature, uint verWrittenCur, uint verReadableCur, uint verWeCanReadBack,
        string loaderAssemblyName, string? loaderSignature = null, string? loaderSignatureAlt = null)
    {
        if (modelSignature is null || modelSignature.Length != 8 || modelSignature.Any(c => c > 0x7F))
            throw new ArgumentOutOfRangeException(nameof(modelSignature), $"The model signature must be exactly 8 ASCII characters; got '{modelSignature}'.");
        if (verReadableCur > verWrittenCur || verWeCanReadBack > verWrittenCur)
            throw new ArgumentOutOfRangeException(nameof(verReadableCur), "The readable and read-back versions cannot exceed the written version.");
        if (string.IsNullOrEmpty(loaderSignature))
            throw new ArgumentOutOfRangeException(nameof(loaderSignature), "A loader signature is required: loading finds the component by it.");
        CheckLoaderName(loaderSignature, nameof(loaderSignature));
        if (loaderSignatureAlt is not null)
            CheckLoaderName(loaderSignatureAlt, nameof(loaderSignatureAlt));
        ulong sig = 0;
        for (int i = 0; i < 8; i++)
            sig |= (ulong)(byte)(modelSignature[i] == ' ' ? 0 : modelSignature[i]) << (8 * i);
        ModelSignature = sig;
        VerWrittenCur = verWrittenCur;
        VerReadableCur = verReadableCur;
        VerWeCanReadBack = verWeCanReadBack;
        LoaderAssemblyName = loaderAssemblyName ?? string.Empty;
        LoaderSignature = loaderSignature;
        LoaderSignatureAlt = loaderSignatureAlt;
    }

    internal static void CheckLoaderName(string name, string paramName)
    {
        if (name.Length == 0 || name.Length > 24 || name.Any(c => c <= 0x20 || c > 0x7E))
            throw new ArgumentOutOfRangeException(paramName, $"A loader signature must be 1 to 24 printable ASCII characters without spaces; got '{name}'.");
    }

    internal static string SignatureText(ulong signature)
    {
        var chars = new char[8];
        for (int i = 0; i < 8; i++)
        {
            byte b = (byte)(signature >> (8 * i));
            chars[i] = b == 0 ? ' ' : (char)b;
        }
        return new string(chars);
    }
}
