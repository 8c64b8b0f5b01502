using static TorchSharp.torch;
using Sae.Core.Native;
using TorchSharp;

namespace Sae.Metrics.Supervised;

/// <summary>
/// Coverage of a BSP g on the train split (docs/reference.md §4):
/// Prec = TP / (N_on + ε), Rec = TP / (P_s + ε), F1 = 2 · Prec · Rec / (Prec + Rec + ε), ε = 1e-8, and
/// Coverage(g) = max_t [(1 / |S_g|) · Σ_{s ∈ S_g} max_i F1(t, i, s)].
/// </summary>
/// <remarks>
/// Reference behaviour, kept: one threshold for all features and elements, chosen after averaging;
/// the best feature is chosen per element; an element that never occurs (P_s = 0) scores 0 and stays in
/// the denominator, as do the masked class's elements (they are all zero by the BSP's design; labels
/// that are not are refused rather than scored); |S_g| is every element less one class per square when the BSP
/// masks a class; no normalisation against probes or baselines. The reference computes in float32;
/// this computes in float64.
/// </remarks>
public static class Coverage
{
    /// <summary>The ε of the precision, recall and F1 formulas, 1e-8.</summary>
    public const double Epsilon = ReferenceF1.Epsilon;

    /// <summary>Coverage of <paramref name="bsp"/> from <paramref name="counts"/>, <paramref name="featuresPerChunk"/> alive features at a time.</summary>
    /// <exception cref="ArgumentException">The BSP does not fit in the counts' elements, or its masked class has labels that are 1.</exception>
    public static CoverageResult Compute(SupervisedCounts counts, BspSlice bsp, int featuresPerChunk = 256)
    {
        bsp.CheckFits(counts.Elements);
        ArgumentOutOfRangeException.ThrowIfLessThan(featuresPerChunk, 1);
        using var noGrad = no_grad();
        using var outer = NewDisposeScope();
        var size = bsp.Shape.Size;
        var device = counts.TruePositives.device;
        var positives = counts.Positives.narrow(0, bsp.Offset, size).to(float64);
        if (bsp.MaskedChannel is { } masked && positives.view(-1, bsp.Shape.Channels).select(1, masked).sum().item<double>() > 0)
            throw new ArgumentException($"BSP {bsp.Name}: class {masked} is masked by design, but some of its labels are 1; zero them (as the BSP does) or do not mask it.");
        var best = zeros([ReferenceThresholds.Count, size], float64, device);
        var alive = counts.TruePositives.shape[0];
        for (long start = 0; start < alive; start += featuresPerChunk)
        {
            using var scope = NewDisposeScope();
            var length = Math.Min(featuresPerChunk, alive - start);
            best.copy_(maximum(best, FeatureF1(counts, bsp, positives, start, length).amax([0])));
        }
        using var denominator = bsp.CoverageDenominator.ToScalar();
        var perThreshold = HostArray.Of<double>(best.sum([1]).div_(denominator));
        var bestIndex = FirstArgMax.Of(perThreshold);
        return new CoverageResult(bsp.Name, perThreshold[bestIndex], bestIndex, perThreshold);
    }

    /// <summary>
    /// F1 float64 [<paramref name="length"/>, 11, elements] of the alive features <paramref name="start"/> … start + length − 1
    /// for every threshold and element of <paramref name="bsp"/>, from the counts and the BSP's positives (float64 [elements]).
    /// </summary>
    internal static Tensor FeatureF1(SupervisedCounts counts, BspSlice bsp, Tensor positives, long start, long length)
    {
        var tp = counts.TruePositives.narrow(0, start, length).narrow(2, bsp.Offset, bsp.Shape.Size).to(float64);
        var on = counts.OnCounts.narrow(0, start, length).to(float64).unsqueeze(2);
        return ReferenceF1.Of(tp / on.add(ReferenceF1.EpsilonScalar, Scalars.One), tp / positives.add(ReferenceF1.EpsilonScalar, Scalars.One));
    }

    /// <summary>
    /// Bootstrap intervals of the coverage of each of <paramref name="bsps"/> over the games of the split that
    /// <paramref name="counts"/> counted (<paramref name="acts_NF"/> and <paramref name="labels_NS"/>, whose rows are
    /// <paramref name="rowsPerGame"/> games in order). Each (threshold, element) keeps its best feature on the whole split, each
    /// resample recounts those features on its games and chooses its threshold: the interval is the spread over games of the
    /// coverage of the features that coverage chose.
    /// </summary>
    /// <exception cref="ArgumentException">The games' rows do not add up to the activations' rows.</exception>
    public static IReadOnlyList<ConfidenceInterval> Intervals(Tensor acts_NF, Tensor labels_NS, IReadOnlyList<int> rowsPerGame, SupervisedCounts counts,
        IReadOnlyList<BspSlice> bsps, BootstrapOptions? options = null, CancellationToken cancellationToken = default) =>
        CoverageBootstrap.Intervals(acts_NF, labels_NS, rowsPerGame, counts, bsps, options ?? BootstrapOptions.Default, cancellationToken);
}
