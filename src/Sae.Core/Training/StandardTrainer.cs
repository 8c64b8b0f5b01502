using Sae.Core.Autoencoders;
using static TorchSharp.torch;

namespace Sae.Core.Training;

/// <summary>
/// The standard recipe (dictionary_learning's <c>StandardTrainer</c>, and <c>PAnnealTrainer</c> with
/// <c>Lp^p</c> when p-annealing is given): loss = mean_batch ‖x − x̂‖₂ (the norm, not squared) +
/// λ · mean_batch Σ_i f_i^p; constrained Adam with β = (0.9, 0.999).
/// </summary>
public sealed class StandardTrainer : SaeTrainer
{
    /// <summary>Creates the trainer.</summary>
    /// <param name="sae">The SAE to train.</param>
    /// <param name="penalty">λ (the L1 penalty, or the initial λ under p-annealing).</param>
    /// <param name="learningRate">The base learning rate (3e-4 in the paper's sweeps).</param>
    /// <param name="learningRateFactor">The schedule of the learning rate (default: the reference's 1000-step warm-up).</param>
    /// <param name="pAnnealing">p-annealing, or null for a plain L1 penalty.</param>
    public StandardTrainer(StandardSae sae, double penalty, double learningRate = 3e-4,
        IAnnealingSchedule? learningRateFactor = null, PAnnealing? pAnnealing = null)
        : base(sae, penalty, learningRate, learningRateFactor ?? new LinearWarmup(1000), pAnnealing, beta1: 0.9)
    {
    }

    /// <inheritdoc />
    protected override (Tensor Loss, Tensor Reconstruction, Tensor Sparsity, Tensor Penalised, Tensor Features) Loss(Tensor x, double p, double penalty)
    {
        var f = Sae.Encode(x);
        var xHat = Sae.Decode(f);
        var reconstruction = (x - xHat).norm(1, keepdim: false, p: 2).mean();
        var sparsity = SparsityTerm(f, p);
        return (reconstruction + penalty * sparsity, reconstruction, sparsity, f, f);
    }
}
