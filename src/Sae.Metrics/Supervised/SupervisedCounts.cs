using static TorchSharp.torch;

namespace Sae.Metrics.Supervised;

/// <summary>
/// The counts from which coverage and the feature labels are computed (REFERENCE.md §4), on the
/// train split, for every alive feature i, threshold t and label element s:
/// TP[i, t, s] = #{x: i on at t and g_s(x) = 1}, N_on[i, t] = #{x: i on at t}, P[s] = #{x: g_s(x) = 1},
/// with "on at t" meaning a_i(x) &gt; t · max_i, strictly. Every position is an independent sample.
/// </summary>
/// <remarks>
/// How it is fast: each (position, feature) pair that is positive has a level ℓ (the number of
/// thresholds it exceeds), so it contributes to TP at thresholds 0 … ℓ − 1. The counter adds each
/// positive pair once, into the bucket of its level, for each positive element of its position
/// (vectorised scatter-adds in TorchSharp, on the activations' device); a reverse cumulative sum over
/// the levels then turns the buckets into the counts at all 11 thresholds at once. The cost is
/// positions × L0 × positives per position, not positions × features × elements × 11.
/// </remarks>
public sealed class SupervisedCounts : IDisposable
{
    private SupervisedCounts(FeatureMaxima maxima, long positions, Tensor truePositives, Tensor onCounts, Tensor positives)
    {
        Maxima = maxima;
        Positions = positions;
        TruePositives = truePositives;
        OnCounts = onCounts;
        Positives = positives;
    }

    /// <summary>The maxima that set the thresholds, and which features are alive (only they are counted).</summary>
    public FeatureMaxima Maxima { get; }

    /// <summary>The number of positions counted.</summary>
    public long Positions { get; }

    /// <summary>The number of label elements S.</summary>
    public int Elements => (int)Positives.shape[0];

    /// <summary>TP, int32 [alive features, 11 thresholds, elements] (alive feature a is <see cref="FeatureMaxima.AliveFeatures"/>[a]).</summary>
    public Tensor TruePositives { get; }

    /// <summary>N_on, int64 [alive features, 11 thresholds].</summary>
    public Tensor OnCounts { get; }

    /// <summary>P, int64 [elements].</summary>
    public Tensor Positives { get; }

    /// <summary>
    /// Counts feature activations <paramref name="acts_NF"/> [positions, features] (float32) against labels
    /// <paramref name="labels_NS"/> [positions, elements] (uint8 or bool, 0/1), with thresholds set by
    /// <paramref name="maxima"/> (usually <see cref="FeatureMaxima.Compute"/> of the same activations).
    /// Positions are processed in chunks of about <paramref name="valuesPerChunk"/> activations, which bounds memory.
    /// </summary>
    /// <exception cref="ArgumentException">Shapes, types or values that do not fit (the message names the input).</exception>
    public static SupervisedCounts Count(Tensor acts_NF, Tensor labels_NS, FeatureMaxima maxima, long valuesPerChunk = 1 << 20, CancellationToken cancellationToken = default)
    {
        SupervisedInputs.CheckActivations(acts_NF, nameof(acts_NF));
        SupervisedInputs.CheckLabels(labels_NS, acts_NF.shape[0], nameof(labels_NS));
        if (acts_NF.shape[1] != maxima.FeatureCount)
            throw new ArgumentException($"{nameof(acts_NF)}: {acts_NF.shape[1]} features, but the maxima are of {maxima.FeatureCount}.", nameof(acts_NF));
        const int T = ReferenceThresholds.Count;
        var device = acts_NF.device;
        var n = acts_NF.shape[0];
        var s = labels_NS.shape[1];
        var a = maxima.AliveFeatures.Count;
        if ((long)a * T * s > int.MaxValue)
            throw new ArgumentException($"{a} alive features x {T} thresholds x {s} elements is too many counts for one tensor; count fewer elements at a time.");
        using var noGrad = no_grad();
        using var outer = NewDisposeScope();
        var aliveIndex = maxima.AliveIndex(device);
        var thresholds = maxima.AliveThresholds(device);
        var buckets = zeros(a * T * s, int32, device);
        var onBuckets = zeros(a * T, int64, device);
        var positives = zeros(s, int64, device);
        var chunk = SupervisedInputs.RowsPerChunk(acts_NF.shape[1], valuesPerChunk);
        for (long start = 0; start < n; start += chunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var rows = Math.Min(chunk, n - start);
            var labels = labels_NS.narrow(0, start, rows).to(device);
            positives.add_(labels.sum([0], type: int64));
            if (a == 0) continue;
            var levels = FeatureLevels.Of(acts_NF.narrow(0, start, rows), aliveIndex, thresholds);
            var bucket = levels.Features * T + levels.Levels - 1;
            onBuckets.index_add_(0, bucket, ones_like(bucket), 1);

            var positive = labels.nonzero();
            var positiveRow = positive.select(1, 0);
            var positiveElement = positive.select(1, 1);
            var perRow = positiveRow.bincount(null, rows);
            var rowStart = perRow.cumsum(0) - perRow;
            var (entry, offset) = GroupExpansion.Expand(perRow.index_select(0, levels.Rows));
            var element = positiveElement.index_select(0, rowStart.index_select(0, levels.Rows).index_select(0, entry) + offset);
            var key = bucket.index_select(0, entry) * s + element;
            buckets.index_add_(0, key, ones(key.shape[0], int32, device), 1);
        }
        var truePositives = buckets.view(a, T, s).flip(1).cumsum(1, int32).flip(1);
        var onCounts = onBuckets.view(a, T).flip(1).cumsum(1).flip(1);
        return new SupervisedCounts(maxima, n,
            truePositives.DetachFromDisposeScope(), onCounts.DetachFromDisposeScope(), positives.DetachFromDisposeScope());
    }

    /// <inheritdoc />
    public void Dispose()
    {
        TruePositives.Dispose();
        OnCounts.Dispose();
        Positives.Dispose();
    }
}
