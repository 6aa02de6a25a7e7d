using System.Reflection;
using System.Runtime.InteropServices;

namespace TorchSharp.PInvoke;

/// <summary>
/// Finds libtorchshim.so: the DIFFUSION_NATIVE_DIR environment variable, then the application folder,
/// then runtimes/linux-x64/native under it. A failure names every path tried and what to install.
/// </summary>
internal static class NativeLoader
{
    internal const string EnvironmentVariable = "DIFFUSION_NATIVE_DIR";
    private static int s_registered;

    internal static void EnsureRegistered()
    {
        if (Interlocked.Exchange(ref s_registered, 1) == 0)
            NativeLibrary.SetDllImportResolver(typeof(NativeLoader).Assembly, Resolve);
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != NativeMethods.Lib) return IntPtr.Zero;
        var tried = new List<string>();
        foreach (var dir in CandidateFolders())
        {
            var path = Path.Combine(dir, "libtorchshim.so");
            tried.Add(path);
            if (!File.Exists(path)) continue;
            try
            {
                return NativeLibrary.Load(path);
            }
            catch (DllNotFoundException e)
            {
                throw new DllNotFoundException(
                    $"Found {path} but could not load it: {e.Message}. Its libtorch dependencies come from the apt package " +
                    "libtorch-dev (run ./build.sh to install them).", e);
            }
        }
        throw new DllNotFoundException(
            "Could not find the native library libtorchshim.so. Tried: " + string.Join(", ", tried) +
            ". Run ./build.sh (it installs the apt package libtorch-dev and builds native/), or set " +
            EnvironmentVariable + " to the folder that holds libtorchshim.so.");
    }

    private static IEnumerable<string> CandidateFolders()
    {
        var env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(env)) yield return env;
        yield return AppContext.BaseDirectory;
        yield return Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native");
    }
}
