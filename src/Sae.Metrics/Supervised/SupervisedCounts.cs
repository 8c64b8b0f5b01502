using static TorchSharp.torch;
using Sae.Core.Native;
using TorchSharp;

namespace Sae.Metrics.Supervised;

/// <summary>
/// The counts from which coverage and the feature labels are computed (docs/reference.md §4), on the
/// train split, for every alive feature i, threshold t and label element s:
/// TP[i, t, s] = #{x: i on at t and g_s(x) = 1}, N_on[i, t] = #{x: i on at t}, P[s] = #{x: g_s(x) = 1},
/// with "on at t" meaning a_i(x) &gt; t · max_i, strictly. Every position is an independent sample.
/// </summary>
/// <remarks>
/// How it is fast: each (position, feature) pair that is positive has a level ℓ (the number of
/// thresholds it exceeds), and is on at thresholds 0 … ℓ − 1. The counter puts each positive pair once
/// into the bucket (feature, ℓ − 1) of a sparse 0/1 matrix B [features · 11, positions], multiplies it
/// by the labels (one sparse-dense product in TorchSharp, on the activations' device; exact, since every
/// partial sum is an integer below 2^24), and a reverse cumulative sum over the levels turns the buckets
/// into the counts at all 11 thresholds at once. The cost is positions × L0 × elements, not
/// positions × features × elements × 11: the fast path is for sparse features, as an SAE's are.
/// </remarks>
public sealed class SupervisedCounts : IDisposable
{
    /// <summary>Positions per sparse product at most: fewer than 2^24, so that float32 counts them exactly, and few enough that the float32 copy of their labels stays small.</summary>
    private const long RowsPerProduct = 1 << 16;


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
    /// Positions are processed in chunks of about <paramref name="valuesPerChunk"/> activations, and
    /// multiplied in blocks of at most <paramref name="entriesPerProduct"/> positive activations (or one
    /// chunk, if more), which bounds memory.
    /// </summary>
    /// <exception cref="ArgumentException">Shapes, types or values that do not fit (the message names the input).</exception>
    public static SupervisedCounts Count(Tensor acts_NF, Tensor labels_NS, FeatureMaxima maxima,
        long valuesPerChunk = 1 << 20, long entriesPerProduct = 1 << 24, CancellationToken cancellationToken = default)
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
        var pendingBuckets = new List<Tensor>();
        var pendingRows = new List<Tensor>();
        long pending = 0, productStart = 0;
        for (long start = 0; start < n; start += chunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rows = Math.Min(chunk, n - start);
            if (a > 0)
            {
                using var scope = NewDisposeScope();
                var levels = FeatureLevels.Of(acts_NF.narrow(0, start, rows), aliveIndex, thresholds);
                using var thresholdCount = T.ToScalar();
                using var rowOffset = (start - productStart).ToScalar();
                var bucket = levels.Features.mul(thresholdCount).add_(levels.Levels, Scalars.One).sub_(Scalars.One);
                onBuckets.index_add_(0, bucket, ones_like(bucket), Scalars.One);
                pending += bucket.shape[0];
                pendingBuckets.Add(bucket.DetachFromDisposeScope());
                pendingRows.Add(levels.Rows.add(rowOffset, Scalars.One).DetachFromDisposeScope());
            }
            var end = start + rows;
            if (end < n && pending < entriesPerProduct && end - productStart < RowsPerProduct) continue;
            using (var product = NewDisposeScope())
            {
                // TP buckets += B · G, with B [A·11, rows] the sparse 0/1 matrix of (bucket, position) and G the
                // labels of these rows: exact in float32, as every partial sum is an integer below 2^24.
                var labels = labels_NS.narrow(0, productStart, end - productStart).to(device);
                positives.add_(labels.sum([0], type: int64), Scalars.One);
                if (a > 0)
                {
                    var allBuckets = cat(pendingBuckets);
                    var entries = sparse_coo_tensor(stack([allBuckets, cat(pendingRows)]), ones(allBuckets.shape[0], float32, device), [a * T, end - productStart]);
                    buckets.add_(entries.mm(labels.to(float32)).view(-1).to(int32), Scalars.One);
                }
            }
            foreach (var t in pendingBuckets.Concat(pendingRows)) t.Dispose();
            pendingBuckets.Clear();
            pendingRows.Clear();
            pending = 0;
            productStart = end;
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
