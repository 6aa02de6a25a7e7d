using System.Security.Cryptography;

namespace Microsoft.ML.Diffusion;

/// <summary>
/// SHA-256 digests of a model zip's binary entries, recorded in its settings entry. ML.NET reads model zips with
/// <c>ZipArchive</c>, which does not check an entry's CRC, so a flipped bit in the compressed weights could otherwise
/// load as silently different weights. Models saved before digests existed carry none and load unchecked.
/// </summary>
internal static class EntryDigests
{
    /// <summary>The bytes <paramref name="write"/> produces, to be hashed before they are saved.</summary>
    public static byte[] Serialize(Action<Stream> write)
    {
        using var buffer = new MemoryStream();
        write(buffer);
        return buffer.ToArray();
    }

    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexString(SHA256.HashData(bytes));

    /// <summary>
    /// Throws an <see cref="InvalidDataException"/> naming <paramref name="entry"/> when the stream's bytes (all of them,
    /// whatever its position) do not have the recorded digest; does nothing when none was recorded.
    /// </summary>
    public static void Check(Stream stream, IReadOnlyDictionary<string, string>? digests, string name, string entry, string settingsEntry)
    {
        if (digests is null) return;
        if (!digests.TryGetValue(name, out var expected))
            throw new InvalidDataException($"Entry '{settingsEntry}' records digests but none for '{name}'.");
        long position = stream.Position;
        stream.Position = 0;
        string actual = Convert.ToHexString(SHA256.HashData(stream));
        stream.Position = position;
        if (!actual.Equals(expected, StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException($"Entry '{entry}' does not match the SHA-256 recorded in '{settingsEntry}' (the model zip is damaged).");
    }
}
