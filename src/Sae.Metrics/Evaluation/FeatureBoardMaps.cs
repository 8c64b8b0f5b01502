using Sae.Metrics.Reports;
using Sae.Metrics.Supervised;
using static TorchSharp.torch;
using Sae.Core.Native;
using TorchSharp;

namespace Sae.Metrics.Evaluation;

/// <summary>
/// What single features detect on the board: for a feature, per square and class of an 8x8 BSP, how much
/// more often the class holds when the feature fires (activation &gt; 0) than over all positions. The
/// features shown are those whose largest such lift is greatest (among features firing on at least
/// <c>minimumOn</c> positions), each with the class where it is largest.
/// </summary>
public static class FeatureBoardMaps
{
    /// <summary>The <paramref name="count"/> most board-specific features of <paramref name="features"/> [N, F] for the 8x8 BSP <paramref name="slice"/> of <paramref name="labels"/> [N, S].</summary>
    /// <exception cref="ArgumentException">The BSP is not 8x8, or the shapes disagree.</exception>
    public static IReadOnlyList<(int Feature, int Channel, BoardHeatMap Map)> Top(Tensor features, Tensor labels, BspSlice slice, int count = 4, int minimumOn = 20)
    {
        if (slice.Shape.Rows != 8 || slice.Shape.Columns != 8)
            throw new ArgumentException($"BSP {slice.Name} is {slice.Shape}; board maps need 8x8.", nameof(slice));
        if (features.dim() != 2 || labels.dim() != 2 || features.shape[0] != labels.shape[0])
            throw new ArgumentException($"Features [{string.Join(", ", features.shape)}] and labels [{string.Join(", ", labels.shape)}] must have the same rows.");
        using var scope = NewDisposeScope();
        var channels = slice.Shape.Channels;
        var lift = Lift(features, labels, slice, minimumOn);
        var (best, where) = lift.max(1);
        var k = (int)Math.Min(count, best.shape[0]);
        var (_, top) = best.topk(k);
        var result = new List<(int, int, BoardHeatMap)>();
        var liftArray = lift.cpu();
        foreach (var f in top.data<long>().ToArray())
        {
            if (best[f].item<float>() <= 0) continue;
            var channel = (int)(where[f].item<long>() % channels);
            var values = liftArray[f].view(64, channels)[.., channel].data<float>().Select(v => (double)v).ToArray();
            result.Add(((int)f, channel, new BoardHeatMap(values, $"feature {f}: lift of {slice.Name} class {channel}")));
        }
        return result;
    }

    /// <summary>
    /// The lift [F, elements] of each feature (of <paramref name="features"/> [N, F]) for each element of <paramref name="slice"/>:
    /// P(element | feature &gt; 0) − P(element), and 0 for a feature on at fewer than <paramref name="minimumOn"/> positions.
    /// </summary>
    internal static Tensor Lift(Tensor features, Tensor labels, BspSlice slice, int minimumOn)
    {
        var y = labels.narrow(1, slice.Offset, slice.Shape.Size).to_type(ScalarType.Float32);   // [N, S]
        using var fewest = minimumOn.ToScalar();
        var on = features.gt(Scalars.Zero).to_type(ScalarType.Float32);                           // [N, F]
        var onCount = on.sum(dim: 0);                                                             // [F]
        var given = on.t().matmul(y).div(onCount.clamp_min(Scalars.One).unsqueeze(1));           // P(element | on) [F, S]
        return given.sub(y.mean([0]).unsqueeze(0)).masked_fill(onCount.lt(fewest).unsqueeze(1), Scalars.Zero);
    }
}
