using static TorchSharp.torch;
using TorchSharp;

namespace Sae.Core.Training;

/// <summary>
/// The geometric median of a set of points (the point minimising the sum of Euclidean distances),
/// by Weiszfeld's iteratively reweighted mean from the points' mean, as the reference computes it to
/// initialise a TopK SAE's b_dec.
/// </summary>
public static class GeometricMedian
{
    // The smallest distance a point is weighted by (see Scalars for why it is held).
    private static readonly Scalar Floor = 1e-12.ToScalar();

    /// <summary>The geometric median of the rows of <paramref name="points"/> [n, d].</summary>
    /// <param name="points">The points, one per row.</param>
    /// <param name="maxIterations">At most this many reweightings.</param>
    /// <param name="tolerance">Stop when an iteration moves the estimate less than this.</param>
    public static Tensor Of(Tensor points, int maxIterations = 100, double tolerance = 1e-5)
    {
        if (points.dim() != 2 || points.shape[0] < 1)
            throw new ArgumentException($"Points must be a non-empty [n, d] tensor; got [{string.Join(", ", points.shape)}].", nameof(points));
        using var noGrad = no_grad();
        var guess = points.mean([0L]);
        for (var i = 0; i < maxIterations; i++)
        {
            using var scope = NewDisposeScope();
            // A point exactly at the estimate would get an infinite weight; it is the median's own location, so it keeps a large finite one.
            var weights = (points - guess).norm(1, keepdim: false, p: 2).clamp_min_(Floor).reciprocal_();
            weights.div_(weights.sum());
            var next = (weights.unsqueeze(1) * points).sum(dim: 0);
            var moved = (next - guess).norm().item<float>();
            guess.Dispose();
            guess = next.MoveToOuterDisposeScope();
            if (moved < tolerance) break;
        }
        return guess;
    }
}
