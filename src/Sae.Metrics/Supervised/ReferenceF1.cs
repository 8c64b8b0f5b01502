using Sae.Core.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Sae.Metrics.Supervised;

/// <summary>The reference's F1, with its ε in the denominator: 2 · P · R / (P + R + ε), ε = 1e-8.</summary>
internal static class ReferenceF1
{
    /// <summary>The ε of the reference's precision, recall and F1 denominators.</summary>
    public const double Epsilon = 1e-8;

    /// <summary><see cref="Epsilon"/> as a scalar that lives as long as the process (see <see cref="Scalars"/>).</summary>
    public static readonly Scalar EpsilonScalar = Epsilon.ToScalar();

    /// <summary>F1 of one precision and recall.</summary>
    public static double Of(double precision, double recall) => 2 * precision * recall / (precision + recall + Epsilon);

    /// <summary>F1 elementwise.</summary>
    public static Tensor Of(Tensor precision, Tensor recall)
    {
        using var denominator = precision.add(recall, Scalars.One).add_(EpsilonScalar, Scalars.One);
        return precision.mul(Scalars.Two).mul_(recall).div_(denominator);
    }
}
