using Sae.Core.Autoencoders;
using static TorchSharp.torch;
using Sae.Core.Native;
using TorchSharp;

namespace Sae.Core.Training;

/// <summary>
/// The gated recipe (dictionary_learning's <c>GatedSAETrainer</c>, and <c>GatedAnnealTrainer</c> when
/// p-annealing is given): loss = ‖x − x̂‖² + λ · Σ_i ReLU(π_gate)_i^p + ‖x − x̂_aux‖², batch means,
/// where x̂_aux decodes ReLU(π_gate) through detached copies of W_dec and b_dec; constrained Adam with
/// β = (0, 0.999).
/// </summary>
public sealed class GatedTrainer : SaeTrainer
{
    private readonly GatedSae _gated;

    /// <summary>Creates the trainer; see <see cref="StandardTrainer"/> for the parameters.</summary>
    public GatedTrainer(GatedSae sae, double penalty, double learningRate = 3e-4,
        IAnnealingSchedule? learningRateFactor = null, PAnnealing? pAnnealing = null, IAnnealingSchedule? penaltyFactor = null)
        : base(sae, penalty, learningRate, learningRateFactor ?? new LinearWarmup(1000), pAnnealing, beta1: 0.0, penaltyFactor)
    {
        _gated = sae;
        AttachZeroGradients(sae);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Gradients derived by hand (a test checks them against autograd): with x_enc = (x − b_dec) W_enc,
    /// g = 1[π_gate &gt; 0], m = 1[π_mag &gt; 0], ∂L/∂x̂ = 2(x̂ − x)/B and ∂L/∂x̂_aux = 2(x̂_aux − x)/B:
    /// ∂L/∂π_mag = g ⊙ m ⊙ (∂L/∂x̂ W_decᵀ); ∂L/∂π_gate = g ⊙ (∂L/∂x̂_aux W_decᵀ + λ ∂S/∂ReLU(π_gate))
    /// (the Heaviside gate passes no gradient); ∂L/∂x_enc = ∂L/∂π_gate + exp(r_mag) ⊙ ∂L/∂π_mag. The
    /// auxiliary path reaches W_dec and b_dec only through the encoder, their decoder copies being detached.
    /// The work tensors are kept from step to step; only boolean masks (and under p-annealing a power) are made per step.
    /// </remarks>
    protected internal override GradientResult ComputeGradients(Tensor x, double p, double penalty, double? nextP)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var products = KeepProductOperands();
        var sae = _gated;
        var batch = x.shape[0];
        // x − b_dec, x̂ − x, x̂_aux − x [B, d]; x_enc, ReLU(π_gate) (then scratch), f then ∂L/∂π_mag, ∂L/∂π_gate then ∂L/∂x_enc [B, F].
        var (d, features) = (sae.InputDimension, sae.FeatureCount);
        var buffers = WorkBuffers(batch, d, d, d, features, features, features, features);
        var (centred, residual, auxResidual, xEnc, gate, f, dPiGate) = (buffers[0], buffers[1], buffers[2], buffers[3], buffers[4], buffers[5], buffers[6]);

        centred.copy_(x).sub_(sae.b_dec);
        AddProduct(xEnc, centred, sae.W_enc, accumulate: false);
        var magnitudeScale = sae.r_mag.exp();
        gate.copy_(xEnc).add_(sae.b_gate, Scalars.One);                                 // π_gate
        var gateOn = gate.gt(Scalars.Zero);
        gate.relu_();
        f.copy_(xEnc).mul_(magnitudeScale).add_(sae.b_mag, Scalars.One).relu_().mul_(gateOn); // ReLU(π_mag) where the gate is open
        var active = f.gt(Scalars.Zero);                                              // g ⊙ m
        AddProduct(residual.copy_(sae.b_dec), f, sae.W_dec, accumulate: true).sub_(x);        // x̂ − x
        AddProduct(auxResidual.copy_(sae.b_dec), gate, sae.W_dec, accumulate: true).sub_(x);  // x̂_aux − x
        var reconstruction = residual.pow(Scalars.Two).sum(1).mean().item<float>();
        var auxiliary = auxResidual.pow(Scalars.Two).sum(1).mean().item<float>();
        var sparsity = SparsityTerm(gate, p).item<float>();
        double? atNextP = nextP is { } next ? SparsityTerm(gate, next).item<float>() : null;
        var l0 = active.sum().item<long>() / (double)batch;

        using var twoOverBatch = (2.0 / batch).ToScalar();
        var dxHat = residual.mul_(twoOverBatch);
        var dxHatAux = auxResidual.mul_(twoOverBatch);
        SparsityGradient(dPiGate, gate, gateOn, penalty, p, batch);
        AddProduct(dPiGate, dxHatAux, sae.W_dec, accumulate: true, transposeB: true).mul_(gateOn);

        AddProduct(sae.W_dec.grad!, f, dxHat, accumulate: false, transposeA: true);
        var dPiMag = AddProduct(f, dxHat, sae.W_dec, accumulate: false, transposeB: true).mul_(active);
        sae.b_mag.grad!.copy_(dPiMag.sum(dim: 0));
        sae.r_mag.grad!.copy_(gate.copy_(dPiMag).mul_(xEnc).sum(dim: 0).mul_(magnitudeScale));
        sae.b_gate.grad!.copy_(dPiGate.sum(dim: 0));
        var dxEnc = dPiGate.add_(dPiMag.mul_(magnitudeScale), Scalars.One);
        AddProduct(sae.W_enc.grad!, centred, dxEnc, accumulate: false, transposeA: true);
        sae.b_dec.grad!.copy_(dxHat.sum(dim: 0)).sub_(sae.W_enc.matmul(dxEnc.sum(dim: 0)));

        return new GradientResult(reconstruction + penalty * sparsity + auxiliary, reconstruction, sparsity, l0, atNextP);
    }
}
