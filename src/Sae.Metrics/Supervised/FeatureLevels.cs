using static TorchSharp.torch;
using Sae.Core.Native;
using TorchSharp;

namespace Sae.Metrics.Supervised;

/// <summary>
/// The sparse form of "which alive features are on, at which thresholds" for a chunk of positions.
/// Because the thresholds increase, a feature that is on at threshold k is on at every lower one, so
/// one number per (position, feature) says it all: its level ℓ = the number of thresholds its
/// activation exceeds (0 … 11); it is on at threshold k iff ℓ &gt; k. Only the entries with ℓ ≥ 1
/// (activation &gt; 0) are kept, which is what makes the counting cost scale with the features'
/// L0 instead of with their number.
/// </summary>
/// <param name="Rows">Position (row within the chunk) of each entry, int64 [m].</param>
/// <param name="Features">Index of each entry's feature among the features read (0 … A − 1), int64 [m].</param>
/// <param name="Levels">Level ℓ ∈ 1 … 11 of each entry, int64 [m].</param>
internal readonly record struct FeatureLevels(Tensor Rows, Tensor Features, Tensor Levels)
{
    /// <summary>
    /// The entries of <paramref name="acts_nF"/> [n, all features] restricted to the features
    /// <paramref name="featureIndex"/> [A] (increasing: the alive ones, or some of them), given their
    /// absolute thresholds <paramref name="thresholds_AT"/> [A, 11].
    /// The tensors live in the caller's dispose scope.
    /// </summary>
    public static FeatureLevels Of(Tensor acts_nF, Tensor featureIndex, Tensor thresholds_AT)
    {
        var acts_nA = (featureIndex.shape[0] == acts_nF.shape[1] ? acts_nF : acts_nF.index_select(1, featureIndex)).contiguous();
        var alive = acts_nA.shape[1];
        var flat = acts_nA.view(-1);
        using var aliveCount = alive.ToScalar();
        var entries = flat.gt(Scalars.Zero).nonzero().squeeze(1);
        var rows = entries.div(aliveCount, rounding_mode: RoundingMode.floor);
        var features = entries - rows.mul(aliveCount);
        var values = flat.index_select(0, entries);
        // A first guess from the ratio to the maximum (threshold 10 is 1.0 · max = max exactly), then
        // exact steps against the float32 thresholds until no level moves: the result is exactly
        // #{k: a > t_k · max}, whatever the rounding of the guess.
        const int T = ReferenceThresholds.Count;
        var thresholds = thresholds_AT.view(-1);
        using var count = T.ToScalar();
        using var last = (T - 1).ToScalar();
        var first = features.mul(count);
        var maxOfEntry = thresholds.index_select(0, first.add(last, Scalars.One));
        var levels = values.div(maxOfEntry).mul_(last).floor_().clamp_(Scalars.Zero, last).to(ScalarType.Int64).add_(Scalars.One, Scalars.One);
        while (true)
        {
            using var scope = NewDisposeScope();
            var down = thresholds.index_select(0, first.add(levels, Scalars.One).sub_(Scalars.One)).ge(values);
            var up = levels.lt(count).logical_and_(thresholds.index_select(0, first.add(levels.clamp_max(last), Scalars.One)).lt(values));
            if (!down.any().item<bool>() && !up.any().item<bool>()) break;
            levels.sub_(down.to(ScalarType.Int64)).add_(up.to(ScalarType.Int64), Scalars.One);
        }
        return new FeatureLevels(rows, features, levels);
    }
}
