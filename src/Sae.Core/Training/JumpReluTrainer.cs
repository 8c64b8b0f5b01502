using Sae.Core.Autoencoders;
using static TorchSharp.torch;
using Sae.Core.Native;
using TorchSharp;

namespace Sae.Core.Training;

/// <summary>
/// Direct training of a JumpReLU SAE (Rajamanoharan et al. 2024, "Jumping Ahead"): loss =
/// ‖x − x̂‖² + λ · ‖f‖₀ (batch means), with f = pre · 1[pre &gt; θ]. The step function has no
/// gradient, so θ learns through straight-through pseudo-derivatives with a rectangle kernel
/// K(u) = 1[|u| &lt; ½] of bandwidth ε:
/// ∂f/∂θ ≈ −(θ/ε) K((pre − θ)/ε) and ∂1[pre &gt; θ]/∂θ ≈ −(1/ε) K((pre − θ)/ε).
/// The other parameters get their exact gradients. Thresholds start at <see cref="InitialThreshold"/>
/// and are kept positive; decoder rows stay at unit norm (constrained Adam, β = (0, 0.999), as the
/// gated recipe).
/// </summary>
public sealed class JumpReluTrainer : SaeTrainer
{
    /// <summary>The threshold every feature starts at (the paper's 0.001).</summary>
    public const double InitialThreshold = 0.001;

    /// <summary>The smallest threshold kept after an update, so that the pseudo-derivative stays defined.</summary>
    private const double MinimumThreshold = 1e-6;

    private readonly JumpReluSae _sae;

    /// <summary>
    /// Creates the trainer: λ = <paramref name="penalty"/> on the L0 norm, kernel bandwidth
    /// <paramref name="bandwidth"/> (the paper's 0.001, for inputs of unit mean squared norm). The SAE's
    /// thresholds are set to <see cref="InitialThreshold"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The bandwidth is not positive.</exception>
    public JumpReluTrainer(JumpReluSae sae, double penalty, double learningRate = 3e-4, double bandwidth = 0.001,
        IAnnealingSchedule? learningRateFactor = null, IAnnealingSchedule? penaltyFactor = null)
        : base(sae, penalty, learningRate, learningRateFactor ?? new LinearWarmup(1000), pAnnealing: null, beta1: 0.0, penaltyFactor)
    {
        if (!(bandwidth > 0) || double.IsInfinity(bandwidth)) throw new ArgumentOutOfRangeException(nameof(bandwidth), bandwidth, "The kernel bandwidth must be positive.");
        Bandwidth = bandwidth;
        _sae = sae;
        using (no_grad())
        using (var initial = InitialThreshold.ToScalar())
            sae.threshold.fill_(initial);
        AttachZeroGradients(sae);
    }

    /// <summary>The rectangle kernel's width ε.</summary>
    public double Bandwidth { get; }

    /// <inheritdoc />
    /// <remarks>
    /// With m = 1[pre &gt; θ], ∂L/∂x̂ = 2(x̂ − x)/B and ∂L/∂f = ∂L/∂x̂ W_decᵀ: ∂L/∂pre = m ⊙ ∂L/∂f;
    /// ∂L/∂θ = −(1/ε) Σ_b K((pre − θ)/ε) ⊙ (θ ⊙ ∂L/∂f + λ/B).
    /// </remarks>
    protected internal override GradientResult ComputeGradients(Tensor x, double p, double penalty, double? nextP)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var products = KeepProductOperands();
        var sae = _sae;
        var batch = x.shape[0];
        // x − b_dec, x̂ − x then ∂L/∂x̂ [B, d]; pre-activations (then scratch), f, ∂L/∂f then ∂L/∂pre [B, F].
        var (d, features) = (sae.InputDimension, sae.FeatureCount);
        var buffers = WorkBuffers(batch, d, d, features, features, features);
        var (centred, residual, pre, f, df) = (buffers[0], buffers[1], buffers[2], buffers[3], buffers[4]);
        centred.copy_(x).sub_(sae.b_dec);
        AddProduct(pre.copy_(sae.b_enc), centred, sae.W_enc, accumulate: true);
        var active = pre.gt(sae.threshold);
        f.copy_(pre).mul_(active);
        AddProduct(residual.copy_(sae.b_dec), f, sae.W_dec, accumulate: true).sub_(x); // x̂ − x
        var reconstruction = residual.pow(Scalars.Two).sum(1).mean().item<float>();
        var l0 = active.sum().item<long>() / (double)batch;

        using var twoOverBatch = (2.0 / batch).ToScalar();
        using var halfWidth = (Bandwidth / 2).ToScalar();
        using var penaltyPerRow = (penalty / batch).ToScalar();
        using var minusOverWidth = (-1.0 / Bandwidth).ToScalar();
        var dxHat = residual.mul_(twoOverBatch);
        AddProduct(df, dxHat, sae.W_dec, accumulate: false, transposeB: true);
        var inWindow = pre.sub_(sae.threshold).abs_().lt(halfWidth);
        var dThreshold = pre.copy_(df).mul_(sae.threshold).add_(penaltyPerRow, Scalars.One).mul_(inWindow).sum(dim: 0).mul_(minusOverWidth);
        var dPre = df.mul_(active);

        AddProduct(sae.W_dec.grad!, f, dxHat, accumulate: false, transposeA: true);
        AddProduct(sae.W_enc.grad!, centred, dPre, accumulate: false, transposeA: true);
        var dPreSum = dPre.sum(dim: 0);
        sae.b_enc.grad!.copy_(dPreSum);
        sae.b_dec.grad!.copy_(dxHat.sum(dim: 0)).sub_(sae.W_enc.matmul(dPreSum));
        sae.threshold.grad!.copy_(dThreshold);
        return new GradientResult(reconstruction + penalty * l0, reconstruction, l0, l0, null);
    }

    /// <inheritdoc />
    protected override void AfterUpdate(Tensor x, long step)
    {
        using var noGrad = no_grad();
        using var minimum = MinimumThreshold.ToScalar();
        _sae.threshold.clamp_min_(minimum);
    }
}
