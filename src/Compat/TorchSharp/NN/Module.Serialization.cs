using TorchSharp.Utils;

namespace TorchSharp;

public static partial class torch
{
    public static partial class nn
    {
        public partial class Module
        {
            /// <summary>Writes the state dict in TorchSharp's .dat format: count, then (key, tensor) entries.</summary>
            public static void save_state_dict(BinaryWriter writer, Dictionary<string, Tensor> sd, IList<string>? skip = null)
            {
                var entries = sd.Where(kv => skip is null || !skip.Contains(kv.Key)).ToList();
                LEB128Codec.Write(writer, entries.Count);
                foreach (var (key, tensor) in entries)
                {
                    writer.Write(key);
                    tensor.Save(writer);
                }
            }

            /// <summary>Saves the state dict to a file, atomically (temporary file, then rename).</summary>
            public virtual Module save(string location, IList<string>? skip = null)
            {
                var temp = location + ".tmp-" + Environment.ProcessId;
                using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write))
                {
                    save(stream, skip);
                    stream.Flush(flushToDisk: true);
                }
                File.Move(temp, location, overwrite: true);
                return this;
            }

            /// <summary>Saves the state dict to a stream.</summary>
            public virtual Module save(Stream stream, IList<string>? skip = null)
            {
                using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
                return save(writer, skip);
            }

            /// <summary>Saves the state dict with a binary writer.</summary>
            public virtual Module save(BinaryWriter writer, IList<string>? skip = null)
            {
                save_state_dict(writer, state_dict(), skip);
                return this;
            }

            /// <summary>Loads a state dict saved with <see cref="save(string, IList{string}?)"/>.</summary>
            public virtual Module load(string location, bool strict = true, IList<string>? skip = null, Dictionary<string, bool>? loadedParameters = null)
            {
                if (!File.Exists(location)) throw new FileNotFoundException($"No weights file at '{location}'.", location);
                using var stream = File.OpenRead(location);
                return load(stream, strict, skip, loadedParameters);
            }

            /// <summary>Loads a state dict from a stream.</summary>
            public virtual Module load(Stream stream, bool strict = true, IList<string>? skip = null, Dictionary<string, bool>? loadedParameters = null)
            {
                using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
                return load(reader, strict, skip, loadedParameters);
            }

            /// <summary>
            /// Loads a state dict with a binary reader. Every entry is checked (dtype, shape, key) before
            /// it is copied; in strict mode every key must be present.
            /// </summary>
            public virtual Module load(BinaryReader reader, bool strict = true, IList<string>? skip = null, Dictionary<string, bool>? loadedParameters = null)
            {
                var sd = state_dict();
                long count = LEB128Codec.Decode(reader);
                if (count > 1_000_000) throw new InvalidDataException($"The weights declare {count} entries; that is not a module state dict.");
                // Each entry takes at least three bytes (key length, dtype, rank).
                var stream = reader.BaseStream;
                if (stream.CanSeek && count > (stream.Length - stream.Position) / 3)
                    throw new InvalidDataException($"The weights declare {count} entries but only {stream.Length - stream.Position} bytes remain.");
                if (strict && count != sd.Count)
                    throw new ArgumentException($"The weights hold {count} entries but the module has {sd.Count}.");
                var seen = new HashSet<string>();
                for (long k = 0; k < count; k++)
                {
                    string key = ReadKey(reader);
                    bool skipping = skip?.Contains(key) == true;
                    if (!sd.TryGetValue(key, out var target))
                    {
                        if (strict && !skipping) throw new ArgumentException($"The weights hold '{key}', which the module does not have.");
                        TensorExtensionMethods.Skip(reader);
                        continue;
                    }
                    target.Load(reader, skipping);
                    seen.Add(key);
                    if (loadedParameters is not null) loadedParameters[key] = !skipping;
                }
                if (strict)
                {
                    var missing = sd.Keys.Where(k => !seen.Contains(k) && skip?.Contains(k) != true).ToList();
                    if (missing.Count > 0) throw new ArgumentException($"The weights lack: {string.Join(", ", missing)}.");
                }
                return this;
            }

            private static string ReadKey(BinaryReader reader)
            {
                try
                {
                    return reader.ReadString();
                }
                catch (EndOfStreamException e)
                {
                    throw new InvalidDataException("The weights end in the middle of a key.", e);
                }
                catch (IOException e)
                {
                    // BinaryReader reports a negative key length as a plain IOException.
                    throw new InvalidDataException("The weights hold a key with an invalid length.", e);
                }
                catch (FormatException e)
                {
                    throw new InvalidDataException("The weights hold a malformed key.", e);
                }
            }
        }
    }
}
