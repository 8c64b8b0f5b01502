using static TorchSharp.torch;
using TorchSharp;

namespace Sae.Core.Autoencoders;

/// <summary>
/// The reference's initial weights, drawn from a caller's seed: PyTorch <c>nn.Linear</c>'s default
/// (uniform in ±1/√fan_in, for the encoder) and random unit-norm decoder directions.
/// </summary>
public static class Initialization
{
    /// <summary>A [rows, columns] (or [rows]) tensor uniform in ±1/√<paramref name="fanIn"/>.</summary>
    public static Tensor UniformFanIn(Generator generator, int fanIn, params long[] shape)
    {
        var bound = 1.0 / Math.Sqrt(fanIn);
        using var width = (2 * bound).ToScalar();
        using var offset = bound.ToScalar();
        return rand(shape, float32, generator: generator).mul_(width).sub_(offset);
    }

    /// <summary>A [rows, columns] tensor of standard normal rows scaled to unit L2 norm.</summary>
    public static Tensor UnitRows(Generator generator, long rows, long columns)
    {
        var w = randn(rows, columns, float32, generator: generator);
        using var norms = w.norm(1, keepdim: true, p: 2);
        return w.div_(norms);
    }
}
