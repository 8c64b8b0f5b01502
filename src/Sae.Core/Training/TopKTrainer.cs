using Sae.Core.Autoencoders;
using static TorchSharp.torch;
using Sae.Core.Native;
using TorchSharp;

namespace Sae.Core.Training;

/// <summary>
/// The TopK recipe (docs/reference.md §3; dictionary_learning's <c>TrainerTopK</c>, from Gao et al. 2024):
/// loss = mean_batch ‖x − x̂‖² + α · AuxK, where AuxK reconstructs the residual x − x̂ from the
/// top-(d/2) pre-activations of features that have not fired for <see cref="DeadTokenThreshold"/>
/// tokens (through W_dec, no bias), normalised by the residual's variance. b_dec starts at the
/// geometric median of the first batch; the learning rate defaults to 2e-4 / √(F / 2¹⁴); Adam
/// β = (0.9, 0.999) with the decoder-row constraint. No sparsity penalty: k fixes L0. Later versions of
/// the reference also clip the gradient norm to 1 and track an inference threshold; neither is done here.
/// </summary>
public sealed class TopKTrainer : SaeTrainer
{
    private readonly TopKSae _topK;
    private readonly FiringTracker _firing;
    private readonly Tensor _encoderGradientT; // [F, d], W_enc's gradient scattered by feature before its transpose is copied out

    /// <summary>Creates the trainer.</summary>
    /// <param name="sae">The SAE to train.</param>
    /// <param name="learningRate">The learning rate (default 2e-4 / √(F / 2¹⁴)).</param>
    /// <param name="learningRateFactor">The learning-rate schedule (default: 1000-step warm-up).</param>
    /// <param name="auxKAlpha">α, the weight of the AuxK loss.</param>
    /// <param name="deadTokenThreshold">Tokens without firing after which a feature counts as dead.</param>
    public TopKTrainer(TopKSae sae, double? learningRate = null, IAnnealingSchedule? learningRateFactor = null,
        double auxKAlpha = 1.0 / 32, long deadTokenThreshold = 10_000_000)
        : base(sae, 0, learningRate ?? DefaultLearningRate(sae.FeatureCount), learningRateFactor ?? new LinearWarmup(1000), null, beta1: 0.9, null)
    {
        _topK = sae;
        AuxKAlpha = auxKAlpha;
        _firing = new FiringTracker(sae.FeatureCount, sae.Device, deadTokenThreshold);
        _encoderGradientT = empty(sae.FeatureCount, sae.InputDimension, device: sae.Device).DetachFromDisposeScope();
        AttachZeroGradients(sae);
    }

    /// <summary>α, the AuxK loss weight.</summary>
    public double AuxKAlpha { get; }

    /// <summary>Tokens without firing after which a feature counts as dead.</summary>
    public long DeadTokenThreshold => _firing.DeadAfter;

    /// <summary>The reference's default learning rate for F features: 2e-4 / √(F / 2¹⁴).</summary>
    public static double DefaultLearningRate(int featureCount) => 2e-4 / Math.Sqrt(featureCount / 16384.0);

    /// <summary>How many features are dead now.</summary>
    public long DeadFeatures => _firing.Dead().Count;

    /// <inheritdoc />
    protected internal override GradientResult ComputeGradients(Tensor x, double p, double penalty, double? nextP)
    {
        using var scope = NewDisposeScope();
        if (Optimizer.StepCount == 0)
        {
            using var noGrad = no_grad();
            Sae.b_dec.copy_(GeometricMedian.Of(x));
        }
        Optimizer.ZeroGrad();
        // Whether AuxK may be needed is known before encoding (a feature can only be dead after this batch if
        // it is within one batch of it now), so the batch is encoded once, by the path that will use it.
        if (AuxKAlpha > 0 && _firing.AnyCouldBeDeadAfter(x.shape[0])) return WithAutograd(x);
        Tensor centred, values, indices;
        using (var noGrad = no_grad())
        {
            var buffers = WorkBuffers(x.shape[0], Sae.InputDimension, Sae.FeatureCount); // x − b_dec [B, d]; pre-activations [B, F]
            centred = buffers[0].copy_(x).sub_(Sae.b_dec);
            (values, indices) = AddProduct(buffers[1].copy_(_topK.b_enc), centred, Sae.W_enc, accumulate: true).relu_().topk(_topK.K, dim: -1);
            RecordFiring(x.shape[0], indices);
        }
        return Sparse(x, centred, values, indices);
    }

    private void RecordFiring(long tokens, Tensor indices)
    {
        using var noGrad = no_grad();
        _firing.Record(tokens, zeros(Sae.FeatureCount, ScalarType.Bool, Sae.Device).index_fill_(0, indices.flatten(), Scalars.True));
    }

    /// <summary>
    /// The gradients of ‖x − x̂‖² alone (no dead features, so no AuxK term), using that f has k non-zeros per
    /// row: x̂ gathers k rows of W_dec instead of multiplying by all F, and the gradients of W_dec, W_enc and
    /// b_enc are scattered into k rows per input. One dense product remains, the encoder's.
    /// </summary>
    /// <param name="x">The batch [B, d].</param>
    /// <param name="centred">x − b_dec.</param>
    /// <param name="values">The k kept activations per row [B, k].</param>
    /// <param name="indices">Their features [B, k].</param>
    private GradientResult Sparse(Tensor x, Tensor centred, Tensor values, Tensor indices)
    {
        using var noGrad = no_grad();
        var (batch, d, k) = (x.shape[0], Sae.InputDimension, _topK.K);
        var flat = indices.flatten();
        var rows = Sae.W_dec.index_select(0, flat).view(batch, k, d);     // [B, k, d]
        var xHat = values.unsqueeze(1).bmm(rows).squeeze(1).add_(Sae.b_dec, Scalars.One);
        var residual = x - xHat;
        var reconstruction = residual.pow(Scalars.Two).sum(1).mean().item<float>();

        using var minusTwoOverBatch = (-2.0 / batch).ToScalar();
        var dxHat = residual.mul_(minusTwoOverBatch);                     // ∂L/∂x̂ [B, d]
        var dValues = rows.bmm(dxHat.unsqueeze(2)).squeeze(2).mul_(values.gt(Scalars.Zero)); // ∂L/∂pre at the kept entries, ReLU-masked
        Sae.W_dec.grad!.zero_().index_add_(0, flat, (values.unsqueeze(2) * dxHat.unsqueeze(1)).view(batch * k, d), Scalars.One);
        var encoderGradientT = _encoderGradientT.zero_().index_add_(0, flat, (dValues.unsqueeze(2) * centred.unsqueeze(1)).view(batch * k, d), Scalars.One);
        Sae.W_enc.grad!.copy_(encoderGradientT.t());
        var biasGradient = _topK.b_enc.grad!.zero_().index_add_(0, flat, dValues.flatten(), Scalars.One);
        Sae.b_dec.grad!.copy_(dxHat.sum(dim: 0)).sub_(Sae.W_enc.matmul(biasGradient));
        return new GradientResult(reconstruction, reconstruction, 0, k, null);
    }

    /// <summary>The full loss with the AuxK term, by autograd (only when features are or may become dead with this batch).</summary>
    private GradientResult WithAutograd(Tensor x)
    {
        var pre = (x - Sae.b_dec).matmul(Sae.W_enc).add_(_topK.b_enc, Scalars.One).relu();
        var (topValues, topIndices) = pre.topk(_topK.K, dim: -1);
        RecordFiring(x.shape[0], topIndices);
        var (dead, deadCount) = _firing.Dead();
        var f = zeros_like(pre).scatter(-1, topIndices, topValues);
        var residual = x - Sae.Decode(f);
        var reconstruction = residual.pow(Scalars.Two).sum(1).mean();
        if (deadCount == 0)
        {
            reconstruction.backward();
            var value = reconstruction.item<float>();
            return new GradientResult(value, value, 0, _topK.K, null);
        }
        var kAux = (int)Math.Min(Sae.InputDimension / 2, deadCount);
        using var minusInfinity = double.NegativeInfinity.ToScalar();
        var deadLatents = where(dead.unsqueeze(0), pre, full_like(pre, minusInfinity));
        var (auxValues, auxIndices) = deadLatents.topk(kAux, dim: -1);
        var auxActivations = zeros_like(pre).scatter(-1, auxIndices, auxValues);
        // As in the reference, the residual is not detached: the AuxK term also reaches the live features.
        var auxError = (residual - auxActivations.matmul(Sae.W_dec)).pow(Scalars.Two).sum(1).mean();
        var variance = (residual - residual.mean([0L], keepdim: true)).pow(Scalars.Two).sum(1).mean();
        using var alpha = AuxKAlpha.ToScalar();
        var loss = reconstruction.add((auxError / variance).nan_to_num(0.0).mul(alpha), Scalars.One);
        loss.backward();
        return new GradientResult(loss.item<float>(), reconstruction.item<float>(), 0, _topK.K, null);
    }

    /// <inheritdoc />
    protected internal override IReadOnlyDictionary<string, Tensor> ExtraState => new Dictionary<string, Tensor> { ["tokens_since_fired"] = _firing.SinceFired };

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _firing.Dispose();
            _encoderGradientT.Dispose();
        }
        base.Dispose(disposing);
    }
}
