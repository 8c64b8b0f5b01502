using TorchSharp;
using static TorchSharp.torch;

namespace Sae.Core.Native;

/// <summary>
/// Chooses the device that models, SAEs and their batches live on, from a name a user gives
/// (<c>--device</c>, a configuration's <c>device</c>): <c>cpu</c>, <c>cuda</c>, <c>cuda:N</c>, or
/// <c>auto</c> (the first GPU if the loaded backend has one, else the CPU). Every tensor path of the
/// library follows the device of the model or SAE it works on, so choosing the device where they are
/// created is all a GPU run needs — with a CUDA backend package referenced in place of
/// libtorch-cpu-linux-x64 (see docs/gpu.md).
/// </summary>
public static class ComputeDevice
{
    /// <summary>The names <see cref="Parse"/> understands, for help texts.</summary>
    public const string Names = "cpu, cuda, cuda:N, auto";

    /// <summary>The device named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">The name is not one of <see cref="Names"/>, or names a GPU this process cannot use, saying why.</exception>
    public static Device Parse(string name)
    {
        TorchBackend.EnsureLoaded();
        var text = name.Trim().ToLowerInvariant();
        if (text == "cpu") return CPU;
        if (text == "auto") return cuda.is_available() ? CUDA : CPU;
        if (text != "cuda" && !(text.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(text.AsSpan(5), out _)))
            throw new ArgumentException($"Unknown device '{name}'; give one of {Names}.");
        if (!cuda.is_available())
            throw new ArgumentException(
                $"Device '{name}': no CUDA GPU is usable in this process. The libtorch loaded here is CPU-only unless the application " +
                "references a CUDA backend (libtorch-cuda-12.8-linux-x64 or TorchSharp-cuda-linux) instead of libtorch-cpu-linux-x64, " +
                "and a GPU with its driver is present.");
        var index = text == "cuda" ? 0 : int.Parse(text.AsSpan(5));
        var count = cuda.device_count();
        if (index >= count) throw new ArgumentException($"Device '{name}': this machine has {count} CUDA device(s), numbered from 0.");
        return new Device(DeviceType.CUDA, index);
    }
}
