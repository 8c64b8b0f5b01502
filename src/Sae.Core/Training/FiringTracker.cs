using static TorchSharp.torch;

namespace Sae.Core.Training;

/// <summary>
/// Counts, per feature, the tokens seen since it last fired — what the TopK recipes call a feature
/// dead by (10M tokens without firing in the reference). Kept in checkpoints for an exact resume.
/// </summary>
public sealed class FiringTracker : IDisposable
{
    private readonly Tensor _tokensSinceFired;

    /// <summary>A tracker of <paramref name="featureCount"/> features on <paramref name="device"/>, with <paramref name="deadAfterTokens"/> as the dead line.</summary>
    public FiringTracker(int featureCount, Device device, long deadAfterTokens)
    {
        DeadAfterTokens = deadAfterTokens;
        _tokensSinceFired = zeros(featureCount, ScalarType.Int64, device).DetachFromDisposeScope();
    }

    /// <summary>Tokens without firing after which a feature counts as dead.</summary>
    public long DeadAfterTokens { get; }

    /// <summary>The counts themselves [F] (a checkpoint saves and restores them in place).</summary>
    public Tensor TokensSinceFired => _tokensSinceFired;

    /// <summary>Adds a batch of <paramref name="tokens"/> tokens in which the features of <paramref name="fired"/> [F] (bool) fired.</summary>
    public void Record(long tokens, Tensor fired)
    {
        using var noGrad = no_grad();
        _tokensSinceFired.add_(tokens).masked_fill_(fired, 0);
    }

    /// <summary>Which features are dead now [F] (bool), and how many.</summary>
    public (Tensor Mask, long Count) Dead()
    {
        var mask = _tokensSinceFired.ge(DeadAfterTokens);
        return (mask, mask.sum().item<long>());
    }

    /// <inheritdoc />
    public void Dispose() => _tokensSinceFired.Dispose();
}
