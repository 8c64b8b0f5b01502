using System.Globalization;
using Sae.Core.Autoencoders;
using Sae.Metrics.Supervised;
using static TorchSharp.torch;
using Sae.Core.Native;
using TorchSharp;

namespace Sae.Metrics.Probes;

/// <summary>
/// An SAE whose features were labelled, used as a probe of one BSP — what board reconstruction
/// measures (docs/reference.md §4). At threshold t it predicts B̂_t(x)[s] = 1 iff any feature that is on at x
/// (a_i(x) &gt; t · max_i) labels s at t. It makes 11 predictions at once: the ordinary thresholds
/// 0 … 0.9 (selectable) and, in the slot of t = 1.0, the reference's "last" variant.
/// </summary>
/// <remarks>
/// Reference quirks, kept: the "last" variant replaces the t = 1.0 slot (so t = 1.0 itself is never
/// scored); in it, each active feature contributes the labels from the highest threshold at which it is
/// on and has at least one label for this BSP, and nothing if there is none. Predictions are a union:
/// several classes of one square may be predicted at once.
/// </remarks>
public sealed class LabelledFeatureProbe : IBoardStateProbe, IDisposable
{
    private const int T = ReferenceThresholds.Count;
    private readonly FeatureMaxima _maxima;
    private readonly ISparseAutoencoder? _sae;
    private readonly Tensor _features;
    private readonly Tensor _thresholds;
    private readonly Tensor _labelElement;
    private readonly Tensor _keyCount;
    private readonly Tensor _keyStart;
    private readonly Tensor _lastThreshold;

    /// <summary>
    /// The probe of <paramref name="bsp"/> made of <paramref name="labels"/>. It reads feature
    /// activations [n, F], or, given <paramref name="sae"/>, model activations [n, d] that it encodes
    /// first (the probe does not own the SAE).
    /// </summary>
    /// <exception cref="ArgumentException">The BSP does not fit in the labels' elements, or the SAE has another number of features.</exception>
    public LabelledFeatureProbe(FeatureLabels labels, BspSlice bsp, ISparseAutoencoder? sae = null)
    {
        bsp.CheckFits(labels.Labels.shape[2]);
        if (sae is not null && sae.FeatureCount != labels.Maxima.FeatureCount)
            throw new ArgumentException($"The SAE has {sae.FeatureCount} features; the labels are of {labels.Maxima.FeatureCount}.", nameof(sae));
        _maxima = labels.Maxima;
        _sae = sae;
        Bsp = bsp;
        var device = labels.Labels.device;
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        // Only the features with at least one label for this BSP can predict anything: the probe reads
        // just those ("labelled"), numbered 0 … L − 1 in the order of the alive features.
        var alive = _maxima.AliveFeatures.Count;
        var triples = labels.Labels.narrow(2, bsp.Offset, bsp.Shape.Size).nonzero();
        var labelledMask = HostArray.Of<bool>(triples.select(1, 0).bincount(null, alive).gt(Scalars.Zero));
        var labelled = Enumerable.Range(0, alive).Where(a => labelledMask[a]).ToArray();
        var compact = Enumerable.Repeat(-1L, alive).ToArray();
        for (var i = 0; i < labelled.Length; i++) compact[labelled[i]] = i;
        using var labelledIndex = tensor(labelled.Select(a => (long)a).ToArray(), device: device);
        using var slots = T.ToScalar();
        var key = tensor(compact, device: device).index_select(0, triples.select(1, 0)).mul(slots).add_(triples.select(1, 1), Scalars.One);
        var keyCount = key.bincount(null, labelled.Length * T);
        var hasLabel = HostArray.Of<bool>(keyCount.gt(Scalars.Zero));
        var last = new long[labelled.Length * (T + 1)];
        for (var f = 0; f < labelled.Length; f++)
        {
            var highest = -1L;
            for (var level = 0; level <= T; level++)
            {
                last[f * (T + 1) + level] = highest;
                if (level < T && hasLabel[f * T + level]) highest = level;
            }
        }
        _features = _maxima.AliveIndex(device).index_select(0, labelledIndex).DetachFromDisposeScope();
        _thresholds = _maxima.AliveThresholds(device).index_select(0, labelledIndex).DetachFromDisposeScope();
        _labelElement = triples.select(1, 2).contiguous().DetachFromDisposeScope();
        _keyCount = keyCount.DetachFromDisposeScope();
        _keyStart = (keyCount.cumsum(0) - keyCount).DetachFromDisposeScope();
        _lastThreshold = tensor(last, device: device).DetachFromDisposeScope();
        Variants =
        [
            .. Enumerable.Range(0, ReferenceThresholds.Ordinary).Select(k =>
                new ProbeVariant(string.Create(CultureInfo.InvariantCulture, $"t={k / 10.0:0.0}"), Selectable: true, k / 10.0)),
            new ProbeVariant("last", Selectable: false),
        ];
    }

    /// <summary>The BSP it predicts.</summary>
    public BspSlice Bsp { get; }

    /// <inheritdoc />
    public int InputDimension => _sae?.InputDimension ?? _maxima.FeatureCount;

    /// <inheritdoc />
    public int Elements => Bsp.Shape.Size;

    /// <inheritdoc />
    public IReadOnlyList<ProbeVariant> Variants { get; }

    /// <inheritdoc />
    public Tensor Predict(Tensor acts_nD)
    {
        if (acts_nD.dim() != 2 || acts_nD.shape[1] != InputDimension)
            throw new ArgumentException($"The probe reads activations [n, {InputDimension}]; got [{string.Join(", ", acts_nD.shape)}].", nameof(acts_nD));
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var device = _keyCount.device;
        var features = (_sae is null ? acts_nD : _sae.Encode(acts_nD.to(_sae.Device))).to(float32).to(device);
        var n = features.shape[0];
        var size = (long)Elements;
        var levels = FeatureLevels.Of(features, _features, _thresholds);

        // Ordinary slots: an entry of level ℓ is on at thresholds 0 … ℓ − 1; slot 10 is not one of them.
        using var ordinary = ReferenceThresholds.Ordinary.ToScalar();
        var (entry, threshold) = GroupExpansion.Expand(levels.Levels.clamp_max(ordinary));
        using var slots = T.ToScalar();
        using var slotsAndLast = (T + 1).ToScalar();
        using var lastSlot = (T - 1).ToScalar();
        using var elements = size.ToScalar();
        var ordinaryRow = levels.Rows.index_select(0, entry).mul(slots).add_(threshold, Scalars.One);
        var ordinaryKey = levels.Features.index_select(0, entry).mul(slots).add_(threshold, Scalars.One);

        // "Last" slot: the highest threshold below ℓ with a label, where there is one.
        var lastThreshold = _lastThreshold.index_select(0, levels.Features.mul(slotsAndLast).add_(levels.Levels, Scalars.One));
        var hasLast = lastThreshold.ge(Scalars.Zero);
        var lastRow = levels.Rows.masked_select(hasLast).mul(slots).add_(lastSlot, Scalars.One);
        var lastKey = levels.Features.masked_select(hasLast).mul(slots).add_(lastThreshold.masked_select(hasLast), Scalars.One);

        var row = cat([ordinaryRow, lastRow]);
        var key = cat([ordinaryKey, lastKey]);
        var (item, offset) = GroupExpansion.Expand(_keyCount.index_select(0, key));
        var element = _labelElement.index_select(0, _keyStart.index_select(0, key).index_select(0, item).add_(offset, Scalars.One));
        var predicted = zeros(n * T * size, ScalarType.Bool, device);
        predicted.index_fill_(0, row.index_select(0, item).mul(elements).add_(element, Scalars.One), Scalars.True);
        return predicted.view(n, T, size).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _features.Dispose();
        _thresholds.Dispose();
        _labelElement.Dispose();
        _keyCount.Dispose();
        _keyStart.Dispose();
        _lastThreshold.Dispose();
    }
}
