using Sae.Core.Autoencoders;
using static TorchSharp.torch;
using Sae.Core.Native;
using TorchSharp;

namespace Sae.Core.Training;

/// <summary>
/// The BatchTopK recipe (dictionary_learning's <c>BatchTopKTrainer</c>): in training, of all B·F
/// ReLU pre-activations of a batch the k·B largest are kept (so k active features per input on
/// average); loss = mean_batch ‖x − x̂‖² + α · AuxK, where AuxK is the mean squared error of
/// reconstructing the residual x − x̂ from the top-(d/2) pre-activations of dead features through their
/// decoder rows (not normalised, unlike TopK's). From step <see cref="ThresholdStartStep"/> on, the
/// smallest kept activation of each batch feeds a running average (β = <see cref="ThresholdBeta"/>)
/// that becomes the JumpReLU threshold the trained SAE is used and saved with (SAELens's
/// <c>jumprelu</c>). b_dec starts at the geometric median of the first batch. Like
/// <see cref="TopKTrainer"/>, no gradient clipping.
/// </summary>
public sealed class BatchTopKTrainer : SaeTrainer
{
    private readonly JumpReluSae _jump;
    private readonly FiringTracker _firing;

    /// <summary>Creates the trainer; <paramref name="sae"/> is best made by <see cref="JumpReluSae.ForBatchTopK"/>.</summary>
    public BatchTopKTrainer(JumpReluSae sae, int k, double? learningRate = null, IAnnealingSchedule? learningRateFactor = null,
        double auxKAlpha = 1.0 / 32, long deadTokenThreshold = 10_000_000, double thresholdBeta = 0.999, long thresholdStartStep = 1000)
        : base(sae, 0, learningRate ?? TopKTrainer.DefaultLearningRate(sae.FeatureCount), learningRateFactor ?? new LinearWarmup(1000), null, beta1: 0.9, null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(k, sae.FeatureCount);
        _jump = sae;
        K = k;
        AuxKAlpha = auxKAlpha;
        ThresholdBeta = thresholdBeta;
        ThresholdStartStep = thresholdStartStep;
        _firing = new FiringTracker(sae.FeatureCount, sae.Device, deadTokenThreshold);
    }

    /// <summary>Active features per input, on average over a batch.</summary>
    public int K { get; }

    /// <summary>α, the AuxK loss weight.</summary>
    public double AuxKAlpha { get; }

    /// <summary>Tokens without firing after which a feature counts as dead.</summary>
    public long DeadTokenThreshold => _firing.DeadAfter;

    /// <summary>β of the threshold's running average.</summary>
    public double ThresholdBeta { get; }

    /// <summary>The threshold is tracked from the step after this one.</summary>
    public long ThresholdStartStep { get; }

    /// <inheritdoc />
    protected internal override GradientResult ComputeGradients(Tensor x, double p, double penalty, double? nextP)
    {
        using var scope = NewDisposeScope();
        var step = Optimizer.StepCount;
        if (step == 0)
        {
            using var noGrad = no_grad();
            Sae.b_dec.copy_(GeometricMedian.Of(x));
        }
        Optimizer.ZeroGrad();
        var batch = x.shape[0];
        var pre = (x - Sae.b_dec).matmul(Sae.W_enc).add_(_jump.b_enc, Scalars.One).relu();
        var (values, indices) = pre.flatten().topk((int)Math.Min(K * batch, pre.numel()), dim: -1);
        var f = zeros_like(pre).flatten().scatter(-1, indices, values).view(pre.shape);

        using (var noGrad = no_grad())
        {
            if (step > ThresholdStartStep) UpdateThreshold(f);
            _firing.Record(batch, f.sum(dim: 0).gt(Scalars.Zero));
        }
        var xHat = Sae.Decode(f);
        var reconstruction = (xHat - x).pow(Scalars.Two).sum(1).mean();
        var loss = reconstruction;
        var (dead, deadCount) = _firing.Dead();
        if (AuxKAlpha > 0 && deadCount > 0)
        {
            var deadIndices = dead.nonzero().flatten();
            var deadActivations = pre.index_select(1, deadIndices);
            var (auxValues, auxIndices) = deadActivations.topk((int)Math.Min(Sae.InputDimension / 2, deadCount), dim: -1);
            var auxActivations = zeros_like(deadActivations).scatter(-1, auxIndices, auxValues);
            var auxReconstruction = auxActivations.matmul(Sae.W_dec.index_select(0, deadIndices));
            using var alpha = AuxKAlpha.ToScalar();
            loss = loss.add((auxReconstruction - (x - xHat)).pow(Scalars.Two).mean().mul(alpha), Scalars.One);
        }
        loss.backward();
        return new GradientResult(loss.item<float>(), reconstruction.item<float>(), 0, f.gt(Scalars.Zero).sum().item<long>() / (double)batch, null);
    }

    /// <summary>threshold ← min kept activation (first time), then β·threshold + (1 − β)·min.</summary>
    private void UpdateThreshold(Tensor f)
    {
        var positive = f.masked_select(f.gt(Scalars.Zero));
        var minimum = positive.numel() == 0 ? 0.0 : positive.min().item<float>();
        var current = _jump.threshold[0].item<float>();
        var next = current < 0 ? minimum : ThresholdBeta * current + (1 - ThresholdBeta) * minimum;
        using var value = next.ToScalar();
        _jump.threshold.fill_(value);
    }

    /// <inheritdoc />
    protected internal override IReadOnlyDictionary<string, Tensor> ExtraState => new Dictionary<string, Tensor> { ["tokens_since_fired"] = _firing.SinceFired };

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) _firing.Dispose();
        base.Dispose(disposing);
    }
}
