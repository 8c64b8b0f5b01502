using Sae.Core.Autoencoders;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Sae.Core.Native;
using TorchSharp;

namespace Sae.Core.Training;

/// <summary>
/// The standard recipe (dictionary_learning's <c>StandardTrainer</c>, and <c>PAnnealTrainer</c> with
/// <c>Lp^p</c> when p-annealing is given): loss = mean_batch ‖x − x̂‖₂ (the norm, not squared) +
/// λ · mean_batch Σ_i f_i^p; constrained Adam with β = (0.9, 0.999).
/// </summary>
/// <remarks>
/// The gradients are derived by hand rather than by autograd, into buffers kept from step to step.
/// Its [B, d] and [B, F] work tensors are allocated once (only a [B, F] boolean activity mask, and under
/// p-annealing a power, are made per step), and it does five matrix products where autograd does six:
/// b_dec's gradient through the encoder, −(Σ_batch ∂L/∂pre) W_encᵀ, is a vector-matrix product
/// once the batch sum is taken first. The result equals autograd's (a test checks it).
/// </remarks>
public sealed class StandardTrainer : SaeTrainer
{
    private readonly StandardSae _standard;
    private readonly DeadFeatureResampler? _resampler;
    private readonly Tensor[] _gradients;

    /// <summary>Creates the trainer.</summary>
    /// <param name="sae">The SAE to train.</param>
    /// <param name="penalty">λ (the L1 penalty, or the initial λ under p-annealing).</param>
    /// <param name="learningRate">The base learning rate (3e-4 in the paper's sweeps).</param>
    /// <param name="learningRateFactor">The schedule of the learning rate (default: the reference's 1000-step warm-up).</param>
    /// <param name="pAnnealing">p-annealing, or null for a plain L1 penalty.</param>
    /// <param name="penaltyFactor">A warm-up of λ (e.g. <c>new LinearWarmup(5000)</c>), or null for the reference's constant λ.</param>
    /// <param name="resampleSteps">
    /// Resample dead features every this many steps (null: never, as in the paper's sweeps); the default
    /// learning-rate warm-up then restarts after each resampling, as the reference's does.
    /// </param>
    public StandardTrainer(StandardSae sae, double penalty, double learningRate = 3e-4,
        IAnnealingSchedule? learningRateFactor = null, PAnnealing? pAnnealing = null, IAnnealingSchedule? penaltyFactor = null,
        long? resampleSteps = null)
        : base(sae, penalty, learningRate, learningRateFactor ?? new LinearWarmup(1000, Period: resampleSteps ?? 0), pAnnealing, beta1: 0.9, penaltyFactor)
    {
        _standard = sae;
        if (resampleSteps is { } every)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(every, 1, nameof(resampleSteps));
            _resampler = new DeadFeatureResampler(sae, Optimizer, every);
        }
        _gradients = [.. sae.Parameters.Values.Select(p => zeros_like(p).DetachFromDisposeScope())];
        var i = 0;
        foreach (var parameter in sae.Parameters.Values) parameter.grad = _gradients[i++];
    }

    /// <inheritdoc />
    protected internal override GradientResult ComputeGradients(Tensor x, double p, double penalty, double? nextP)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var products = KeepProductOperands();
        var sae = _standard;
        var batch = x.shape[0];
        // x − b_dec [B, d]; pre-activations, then f [B, F]; x̂ − x, then ∂L/∂x̂ [B, d]; ∂L/∂f, then ∂L/∂pre [B, F].
        var (d, features) = (sae.InputDimension, sae.FeatureCount);
        var buffers = WorkBuffers(batch, d, features, d, features);
        var (centred, f, residual, df) = (buffers[0], buffers[1], buffers[2], buffers[3]);

        centred.copy_(x).sub_(sae.b_dec);
        AddProduct(f.copy_(sae.b_enc), centred, sae.W_enc, accumulate: true).relu_();
        AddProduct(residual.copy_(sae.b_dec), f, sae.W_dec, accumulate: true).sub_(x);

        // ‖x − x̂‖₂ per row; its batch mean's gradient is r / (B‖r‖), and 0 for a row reconstructed exactly.
        var rowNorms = residual.norm(1, keepdim: true, p: 2);
        var reconstruction = rowNorms.mean().item<float>();
        using var batchSize = batch.ToScalar();
        var scale = rowNorms.mul(batchSize).reciprocal_().masked_fill_(rowNorms.eq(Scalars.Zero), Scalars.Zero);
        residual.mul_(scale);

        var active = f.gt(Scalars.Zero);
        var l0 = active.sum().item<long>() / (double)batch;
        _resampler?.Record(active.any(0));
        var sparsity = SparsityTerm(f, p).item<float>();
        double? atNextP = nextP is { } next ? SparsityTerm(f, next).item<float>() : null;

        // ∂L/∂f = ∂L/∂x̂ W_decᵀ + λ ∂S/∂f, with ∂(Σ f^p)/∂f = p f^(p−1) on active features; then ∂L/∂pre = ∂L/∂f on active ones.
        SparsityGradient(df, f, active, penalty, p, batch);
        AddProduct(df, residual, sae.W_dec, accumulate: true, transposeB: true).mul_(active);

        var featureGradientSum = df.sum(dim: 0);
        AddProduct(Gradient(sae.W_dec), f, residual, accumulate: false, transposeA: true);
        AddProduct(Gradient(sae.W_enc), centred, df, accumulate: false, transposeA: true);
        Gradient(sae.b_enc).copy_(featureGradientSum);
        Gradient(sae.b_dec).copy_(residual.sum(dim: 0)).sub_(sae.W_enc.matmul(featureGradientSum));

        return new GradientResult(reconstruction + penalty * sparsity, reconstruction, sparsity, l0, atNextP);
    }

    /// <inheritdoc />
    protected override void AfterUpdate(Tensor x, long step) => _resampler?.MaybeResample(x, step);

    /// <inheritdoc />
    protected internal override IReadOnlyDictionary<string, Tensor> ExtraState =>
        _resampler is null ? base.ExtraState : new Dictionary<string, Tensor> { ["steps_since_active"] = _resampler.StepsSinceActive };

    private static Tensor Gradient(Parameter parameter) => parameter.grad!;

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var g in _gradients) g.Dispose();
            _resampler?.Dispose();
        }
        base.Dispose(disposing);
    }
}
