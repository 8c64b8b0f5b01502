using static TorchSharp.torch;

namespace Sae.Metrics.Supervised;

/// <summary>
/// Each feature's largest activation over a sample of the train split (REFERENCE.md §4), and which
/// features are alive there: a feature is alive iff its maximum is above zero. Only alive features are
/// analysed by the supervised metrics; the thresholds are fractions of these maxima.
/// </summary>
/// <remarks>
/// The reference takes the maxima over all token positions of part of the train games, while it counts
/// only at the sampled positions (chess: the <c>.</c> characters); to reproduce that, compute the maxima
/// on those activations and pass them in. On the test split an activation may exceed its maximum.
/// </remarks>
public sealed class FeatureMaxima
{
    /// <summary>Wraps per-feature maxima, e.g. computed elsewhere on all token positions of the train games.</summary>
    /// <exception cref="ArgumentException">A maximum is NaN.</exception>
    public FeatureMaxima(IReadOnlyList<float> maxima)
    {
        if (maxima.Any(float.IsNaN)) throw new ArgumentException("A feature maximum is NaN.", nameof(maxima));
        Maxima = [.. maxima];
        AliveFeatures = [.. Enumerable.Range(0, Maxima.Count).Where(i => Maxima[i] > 0)];
    }

    /// <summary>The maximum of every feature, alive or not.</summary>
    public IReadOnlyList<float> Maxima { get; }

    /// <summary>The indices of the alive features (maximum &gt; 0), increasing. Alive feature a of the counts is feature AliveFeatures[a].</summary>
    public IReadOnlyList<int> AliveFeatures { get; }

    /// <summary>The number of features, alive or not.</summary>
    public int FeatureCount => Maxima.Count;

    /// <summary>The column-wise maxima of feature activations <paramref name="acts_NF"/> [positions, features].</summary>
    /// <exception cref="ArgumentException">Not a 2-D float32 tensor with at least one row, or it holds NaN.</exception>
    public static FeatureMaxima Compute(Tensor acts_NF)
    {
        SupervisedInputs.CheckActivations(acts_NF, nameof(acts_NF));
        using var scope = NewDisposeScope();
        return new FeatureMaxima(HostArray.Of<float>(acts_NF.amax([0])));
    }

    /// <summary>The absolute thresholds [alive features, <see cref="ReferenceThresholds.Count"/>] of the alive features, float32, on <paramref name="device"/>.</summary>
    internal Tensor AliveThresholds(Device device)
    {
        var alive = AliveFeatures.Select(i => Maxima[i]).ToArray();
        var thresholds = new float[alive.Length * ReferenceThresholds.Count];
        for (var a = 0; a < alive.Length; a++)
            for (var k = 0; k < ReferenceThresholds.Count; k++)
                thresholds[a * ReferenceThresholds.Count + k] = ReferenceThresholds.Absolute(k, alive[a]);
        return tensor(thresholds, [alive.Length, ReferenceThresholds.Count]).to(device);
    }

    /// <summary>The alive feature indices as an int64 tensor on <paramref name="device"/>.</summary>
    internal Tensor AliveIndex(Device device) => tensor(AliveFeatures.Select(i => (long)i).ToArray()).to(device);
}
