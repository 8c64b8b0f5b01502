using static TorchSharp.torch;
using Sae.Core.Native;
using TorchSharp;

namespace Sae.Core.Training;

/// <summary>
/// Counts, per feature, how much has been seen since it last fired — tokens for the TopK recipes
/// (dead after 10M tokens in the reference), steps for dead-feature resampling. Kept in checkpoints
/// for an exact resume.
/// </summary>
public sealed class FiringTracker : IDisposable
{
    private readonly Tensor _sinceFired;

    /// <summary>A tracker of <paramref name="featureCount"/> features on <paramref name="device"/>; a feature is dead once its count reaches <paramref name="deadAfter"/>.</summary>
    public FiringTracker(int featureCount, Device device, long deadAfter)
    {
        DeadAfter = deadAfter;
        _sinceFired = zeros(featureCount, ScalarType.Int64, device).DetachFromDisposeScope();
    }

    /// <summary>The count (tokens or steps) without firing at which a feature is dead.</summary>
    public long DeadAfter { get; }

    /// <summary>The counts themselves [F] (a checkpoint saves and restores them in place).</summary>
    public Tensor SinceFired => _sinceFired;

    /// <summary>Adds <paramref name="amount"/> (a batch's tokens, or one step) to every count and zeroes those of the features of <paramref name="fired"/> [F] (bool).</summary>
    public void Record(long amount, Tensor fired)
    {
        using var noGrad = no_grad();
        using var step = amount.ToScalar();
        _sinceFired.add_(step, Scalars.One).masked_fill_(fired, Scalars.Zero);
    }

    /// <summary>
    /// Whether any feature would be dead after <see cref="Record"/> of <paramref name="amount"/>, were it
    /// not to fire: a superset test, known before the batch is encoded.
    /// </summary>
    public bool AnyCouldBeDeadAfter(long amount)
    {
        // Held (and disposed) by a local: outside a dispose scope a temporary that nothing references can be finalised during item().
        using var most = _sinceFired.max();
        return most.item<long>() + amount >= DeadAfter;
    }

    /// <summary>Which features are dead now [F] (bool), and how many.</summary>
    public (Tensor Mask, long Count) Dead()
    {
        using var deadAfter = DeadAfter.ToScalar();
        var mask = _sinceFired.ge(deadAfter);
        using var count = mask.sum();
        return (mask, count.item<long>());
    }

    /// <inheritdoc />
    public void Dispose() => _sinceFired.Dispose();
}
