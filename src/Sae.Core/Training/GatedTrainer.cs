using Sae.Core.Autoencoders;
using static TorchSharp.torch;

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
    }

    /// <inheritdoc />
    protected internal override GradientResult ComputeGradients(Tensor x, double p, double penalty, double? nextP)
    {
        using var scope = NewDisposeScope();
        Optimizer.ZeroGrad();
        var (f, gate) = _gated.EncodeWithGate(x);
        var xHat = Sae.Decode(f);
        var xHatAux = gate.matmul(Sae.W_dec.detach()).add_(Sae.b_dec.detach());
        var reconstruction = (x - xHat).pow(2).sum(1).mean();
        var auxiliary = (x - xHatAux).pow(2).sum(1).mean();
        var sparsity = SparsityTerm(gate, p);
        var loss = reconstruction + penalty * sparsity + auxiliary;
        loss.backward();
        double? atNextP = null;
        if (nextP is { } next)
        {
            using var noGrad = no_grad();
            atNextP = SparsityTerm(gate.detach(), next).item<float>();
        }
        return new GradientResult(loss.item<float>(), reconstruction.item<float>(), sparsity.item<float>(), MeanActiveCount(f.detach()), atNextP);
    }
}
