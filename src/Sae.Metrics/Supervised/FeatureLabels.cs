using static TorchSharp.torch;
using Sae.Core.Native;
using TorchSharp;

namespace Sae.Metrics.Supervised;

/// <summary>
/// Which elements each alive feature labels at each threshold (docs/reference.md §4): feature i at threshold t
/// labels element s iff TP / N_on ≥ 0.95 and TP ≥ 10 on the train split (both configurable). A feature
/// may label several elements, and an element may be labelled by several features.
/// </summary>
/// <remarks>
/// Reference quirk, kept: the precision is TP / N_on with no ε, and a feature that is never on has
/// precision 0 (the reference multiplies by 1 / N_on where N_on &gt; 0, else by 0). The comparison is
/// made in float64 here, in float32 in the reference.
/// </remarks>
public sealed class FeatureLabels : IDisposable
{
    private FeatureLabels(FeatureMaxima maxima, FeatureLabelCriteria criteria, Tensor labels)
    {
        Maxima = maxima;
        Criteria = criteria;
        Labels = labels;
    }

    /// <summary>The maxima that set the thresholds; alive feature a is <see cref="FeatureMaxima.AliveFeatures"/>[a].</summary>
    public FeatureMaxima Maxima { get; }

    /// <summary>The criteria the labels were chosen by.</summary>
    public FeatureLabelCriteria Criteria { get; }

    /// <summary>The labels, bool [alive features, 11 thresholds, elements].</summary>
    public Tensor Labels { get; }

    /// <summary>The labels that <paramref name="counts"/> give under <paramref name="criteria"/> (the reference's by default).</summary>
    public static FeatureLabels FromCounts(SupervisedCounts counts, FeatureLabelCriteria? criteria = null)
    {
        criteria ??= FeatureLabelCriteria.Reference;
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var tp = counts.TruePositives;
        var on = counts.OnCounts.unsqueeze(2);
        var precision = tp.to(float64) / on.to(float64);
        using var minPrecision = criteria.MinPrecision.ToScalar();
        using var minTruePositives = criteria.MinTruePositives.ToScalar();
        var labels = precision.ge(minPrecision).logical_and_(tp.ge(minTruePositives)).logical_and_(on.gt(Scalars.Zero));
        return new FeatureLabels(counts.Maxima, criteria, labels.DetachFromDisposeScope());
    }

    /// <summary>The number of (feature, threshold, element) labels per threshold, for reports.</summary>
    public long[] CountPerThreshold()
    {
        using var scope = NewDisposeScope();
        return HostArray.Of<long>(Labels.sum([0, 2], type: int64));
    }

    /// <inheritdoc />
    public void Dispose() => Labels.Dispose();
}
