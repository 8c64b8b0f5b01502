using Sae.Core.Native;
using static TorchSharp.torch;

namespace Sae.Metrics.Supervised;

/// <summary>
/// Each feature's largest activation over a sample of the train split, and which features are alive there:
/// as in the reference, a feature is alive iff it is non-zero at least once. Only alive features are analysed
/// by the supervised metrics; the thresholds are fractions of these maxima.
/// </summary>
/// <remarks>
/// The reference takes the maxima over all token positions of part of the train games, while it counts
/// only at the sampled positions (chess: the <c>.</c> characters); to reproduce that, compute the maxima
/// on those activations and pass them in. On the test split an activation may exceed its maximum.
/// "Non-zero" differs from "positive" only for features that can be negative, such as GELU MLP neurons: a
/// neuron that is only ever negative or zero is alive (and counted in <see cref="AliveFeatures"/>) but can
/// never be on, since no activation exceeds t·max ≤ max for t in [0, 1].
/// </remarks>
public sealed class FeatureMaxima
{
    /// <summary>Wraps per-feature maxima, e.g. computed elsewhere on all token positions of the train games.</summary>
    /// <param name="maxima">Each feature's largest activation.</param>
    /// <param name="everNonZero">Whether each feature was non-zero at least once. Without it, a feature is taken
    /// as alive iff its maximum is not zero, which misses only features that were zero or negative and never positive.</param>
    /// <exception cref="ArgumentException">A maximum is NaN, or the two lists differ in length.</exception>
    public FeatureMaxima(IReadOnlyList<float> maxima, IReadOnlyList<bool>? everNonZero = null)
    {
        if (maxima.Any(float.IsNaN)) throw new ArgumentException("A feature maximum is NaN.", nameof(maxima));
        if (everNonZero is not null && everNonZero.Count != maxima.Count)
            throw new ArgumentException($"{maxima.Count} maxima but {everNonZero.Count} non-zero flags.", nameof(everNonZero));
        Maxima = [.. maxima];
        AliveFeatures = [.. Enumerable.Range(0, Maxima.Count).Where(i => everNonZero?[i] ?? Maxima[i] != 0)];
    }

    /// <summary>The maximum of every feature, alive or not.</summary>
    public IReadOnlyList<float> Maxima { get; }

    /// <summary>The indices of the alive features (non-zero at least once), increasing. Alive feature a of the counts is feature AliveFeatures[a].</summary>
    public IReadOnlyList<int> AliveFeatures { get; }

    /// <summary>The number of features, alive or not.</summary>
    public int FeatureCount => Maxima.Count;

    /// <summary>The column-wise maxima of feature activations <paramref name="acts_NF"/> [positions, features], and which columns are ever non-zero.</summary>
    /// <exception cref="ArgumentException">Not a 2-D float32 tensor with at least one row, or it holds NaN.</exception>
    public static FeatureMaxima Compute(Tensor acts_NF)
    {
        SupervisedInputs.CheckActivations(acts_NF, nameof(acts_NF));
        using var scope = NewDisposeScope();
        return new FeatureMaxima(HostArray.Of<float>(acts_NF.amax([0])), HostArray.Of<bool>(acts_NF.ne(Scalars.Zero).any(0)));
    }

    /// <summary>The absolute thresholds [alive features, <see cref="ReferenceThresholds.Count"/>] of the alive features, float32, on <paramref name="device"/>.</summary>
    internal Tensor AliveThresholds(Device device)
    {
        var alive = AliveFeatures.Select(i => Maxima[i]).ToArray();
        var thresholds = new float[alive.Length * ReferenceThresholds.Count];
        for (var a = 0; a < alive.Length; a++)
            for (var k = 0; k < ReferenceThresholds.Count; k++)
                thresholds[a * ReferenceThresholds.Count + k] = ReferenceThresholds.Absolute(k, alive[a]);
        using var host = tensor(thresholds, [alive.Length, ReferenceThresholds.Count]);
        return host.to(device);
    }

    /// <summary>The alive feature indices as an int64 tensor on <paramref name="device"/>.</summary>
    internal Tensor AliveIndex(Device device)
    {
        using var host = tensor(AliveFeatures.Select(i => (long)i).ToArray());
        return host.to(device);
    }
}
