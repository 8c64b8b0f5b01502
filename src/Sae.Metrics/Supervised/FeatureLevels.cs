using static TorchSharp.torch;

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
/// <param name="Features">Alive-feature index (0 … A − 1) of each entry, int64 [m].</param>
/// <param name="Levels">Level ℓ ∈ 1 … 11 of each entry, int64 [m].</param>
internal readonly record struct FeatureLevels(Tensor Rows, Tensor Features, Tensor Levels)
{
    /// <summary>
    /// The entries of <paramref name="acts_nF"/> [n, all features] restricted to the alive features
    /// <paramref name="aliveIndex"/> [A], given their absolute thresholds <paramref name="thresholds_AT"/> [A, 11].
    /// The tensors live in the caller's dispose scope.
    /// </summary>
    public static FeatureLevels Of(Tensor acts_nF, Tensor aliveIndex, Tensor thresholds_AT)
    {
        var acts_nA = acts_nF.index_select(1, aliveIndex);
        var positive = acts_nA.gt(0);
        var entries = positive.nonzero();
        var rows = entries.select(1, 0);
        var features = entries.select(1, 1);
        var values = acts_nA.masked_select(positive);
        var levels = zeros_like(rows);
        for (var k = 0; k < ReferenceThresholds.Count; k++)
            levels.add_(values.gt(thresholds_AT.select(1, k).index_select(0, features)));
        return new FeatureLevels(rows, features, levels);
    }
}
