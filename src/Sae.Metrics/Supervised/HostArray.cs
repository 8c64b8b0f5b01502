using static TorchSharp.torch;

namespace Sae.Metrics.Supervised;

/// <summary>Copies a tensor's values into a managed array, including an empty tensor (whose accessor TorchSharp 0.107 refuses).</summary>
internal static class HostArray
{
    /// <summary>The values of <paramref name="t"/> in row-major order.</summary>
    public static T[] Of<T>(Tensor t) where T : unmanaged
    {
        if (t.numel() == 0) return [];
        using var host = t.cpu();
        return host.data<T>().ToArray();
    }
}
