using Sae.Core.Autoencoders;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Sae.Core.Native;
using TorchSharp;

namespace Sae.Core.Training;

/// <summary>
/// The reference's optional dead-feature resampling (dictionary_learning's <c>StandardTrainer</c>):
/// counts the steps since each feature was last active in a batch; every <see cref="Every"/> steps
/// (at steps divisible by it, after the update), features inactive for more than half that many steps
/// are given new directions: inputs of the batch drawn with probability proportional to their
/// reconstruction error (‖x − x̂‖₂, without replacement). A resampled feature's encoder column is the
/// input × 0.2 × the mean encoder norm of the live features, its decoder row the input scaled to unit
/// norm, its encoder bias 0, and its Adam moments are zeroed. The draw uses a generator seeded by the
/// step, so a resumed run resamples identically.
/// </summary>
public sealed class DeadFeatureResampler : IDisposable
{
    private readonly SparseAutoencoder _sae;
    private readonly Parameter _encoderBias;
    private readonly ConstrainedAdam _optimizer;
    private readonly FiringTracker _steps;

    /// <summary>Resamples <paramref name="sae"/>'s dead features every <paramref name="every"/> steps, resetting their state in <paramref name="optimizer"/>.</summary>
    public DeadFeatureResampler(StandardSae sae, ConstrainedAdam optimizer, long every)
    {
        _sae = sae;
        _encoderBias = sae.b_enc;
        _optimizer = optimizer;
        Every = every;
        _steps = new FiringTracker(sae.FeatureCount, sae.Device, every / 2 + 1); // "more than every/2 steps"
    }

    /// <summary>The resampling period in steps.</summary>
    public long Every { get; }

    /// <summary>Steps since each feature was active (saved in checkpoints).</summary>
    public Tensor StepsSinceActive => _steps.SinceFired;

    /// <summary>Counts one step in which the features of <paramref name="active"/> [F] (bool) fired.</summary>
    public void Record(Tensor active) => _steps.Record(1, active);

    /// <summary>Resamples after the update of <paramref name="step"/> if it is a resampling step and some features are dead.</summary>
    public void MaybeResample(Tensor x, long step)
    {
        if (step % Every != 0) return;
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var (dead, deadCount) = _steps.Dead();
        if (deadCount == 0) return;
        var losses = (x - _sae.Reconstruct(x)).norm(1, keepdim: false, p: 2);
        var count = (int)Math.Min(deadCount, x.shape[0]);
        using var generator = new Generator((ulong)step, CPU);
        var picked = losses.cpu().multinomial(count, replacement: false, generator: generator).to(x.device);
        var sampled = x.index_select(0, picked);
        var deadIndices = dead.nonzero().flatten().narrow(0, 0, count);
        var alive = dead.logical_not();
        var aliveNorm = _sae.W_enc.norm(0, keepdim: false, p: 2).masked_select(alive).mean();
        using var fifth = 0.2.ToScalar();
        _sae.W_enc.index_copy_(1, deadIndices, (sampled * aliveNorm).mul(fifth).t());
        _sae.W_dec.index_copy_(0, deadIndices, sampled / sampled.norm(1, keepdim: true, p: 2));
        _encoderBias.index_fill_(0, deadIndices, Scalars.Zero);
        _optimizer.ResetState(_sae.W_enc, deadIndices, 1);
        _optimizer.ResetState(_sae.W_dec, deadIndices, 0);
        _optimizer.ResetState(_encoderBias, deadIndices, 0);
    }

    /// <inheritdoc />
    public void Dispose() => _steps.Dispose();
}
