using TorchSharp;

namespace Sae.Core.Native;

/// <summary>
/// Loads TorchSharp's native backend on demand and turns a failure into a
/// <see cref="NativeBackendException"/> that says what to reference or install.
/// </summary>
public static class TorchBackend
{
    private static readonly Lazy<string> Loaded = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// Loads the native backend if it is not loaded yet and returns a one-line description of it
    /// (libtorch version and CPU thread count).
    /// </summary>
    /// <exception cref="NativeBackendException">The native libraries are missing or cannot be loaded.</exception>
    public static string EnsureLoaded() => Loaded.Value;

    private static string Load()
    {
        try
        {
            return $"libtorch {torch.__version__}, {torch.get_num_threads()} CPU threads";
        }
        catch (TypeInitializationException e)
        {
            throw new NativeBackendException(
                "TorchSharp's native backend did not load. Reference a libtorch package in the application " +
                "(e.g. libtorch-cpu-linux-x64 with <RuntimeIdentifier>linux-x64</RuntimeIdentifier>) and build it " +
                "with Sae.Core's build targets, which make libLibTorchSharp.so load where libstdc++ lacks GLIBCXX_3.4.32.",
                e.InnerException ?? e);
        }
    }
}
