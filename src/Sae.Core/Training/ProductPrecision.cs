using static TorchSharp.torch;

namespace Sae.Core.Training;

/// <summary>
/// The element type of a training step's large matrix products. Parameters, optimiser state, the loss and
/// every elementwise operation stay float32 either way; bfloat16 rounds the products' operands to 8 bits of
/// mantissa and sums in float32 (mixed precision), which is several times faster on hardware with bfloat16
/// units (AVX-512 BF16 or AMX on a CPU, tensor cores on a GPU) and far slower on a CPU without them.
/// </summary>
public static class ProductPrecision
{
    /// <summary>The names <see cref="Parse"/> understands: float32, bfloat16, auto.</summary>
    public const string Names = "float32, bfloat16, auto";

    /// <summary>
    /// The default for <paramref name="device"/>: bfloat16 on a CPU whose flags include <c>avx512_bf16</c> or
    /// <c>amx_bf16</c> (read from /proc/cpuinfo), float32 otherwise — including on GPUs, where whether bfloat16
    /// pays depends on the model of GPU: choose it there with <c>bfloat16</c>.
    /// </summary>
    public static ScalarType Default(Device? device = null) =>
        (device ?? CPU).type == TorchSharp.DeviceType.CPU && CpuHasBFloat16Units ? ScalarType.BFloat16 : ScalarType.Float32;

    /// <summary>Whether this machine's CPU multiplies bfloat16 in hardware (AVX-512 BF16 or AMX-BF16).</summary>
    public static bool CpuHasBFloat16Units { get; } = ReadCpuFlags().Overlaps(["avx512_bf16", "amx_bf16"]);

    /// <summary>The product type named <paramref name="name"/>; <c>auto</c> is <see cref="Default"/> for <paramref name="device"/>.</summary>
    /// <exception cref="ArgumentException">Not one of <see cref="Names"/>.</exception>
    public static ScalarType Parse(string name, Device? device = null) => name.Trim().ToLowerInvariant() switch
    {
        "float32" => ScalarType.Float32,
        "bfloat16" => ScalarType.BFloat16,
        "auto" => Default(device),
        _ => throw new ArgumentException($"Unknown product precision '{name}'; give one of {Names}."),
    };

    /// <summary>The name of a product type <see cref="Parse"/> gives.</summary>
    public static string Name(ScalarType type) => type == ScalarType.BFloat16 ? "bfloat16" : "float32";

    private static HashSet<string> ReadCpuFlags()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal));
            return line is null ? [] : [.. line[(line.IndexOf(':') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries)];
        }
        catch (IOException)
        {
            return [];
        }
        catch (UnauthorizedAccessException)
        {
            return [];
        }
    }
}
