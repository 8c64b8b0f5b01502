using Sae.Core.Autoencoders;
using static TorchSharp.torch;

namespace Sae.Core.Training;

/// <summary>
/// Trains one SAE by one recipe: the loss, the constrained Adam update, the learning-rate schedule and
/// (optionally) p-annealing of the sparsity penalty. Several trainers can share one activation stream.
/// </summary>
public abstract class SaeTrainer : IDisposable
{
    /// <summary>Creates the trainer.</summary>
    protected SaeTrainer(SparseAutoencoder sae, double penalty, double learningRate, IAnnealingSchedule learningRateFactor,
        PAnnealing? pAnnealing, double beta1)
    {
        Sae = sae;
        InitialPenalty = penalty;
        LearningRate = learningRate;
        LearningRateFactor = learningRateFactor;
        PAnnealing = pAnnealing;
        Optimizer = new ConstrainedAdam(sae.Parameters.Values, [sae.W_dec], beta1);
    }

    /// <summary>The SAE being trained.</summary>
    public SparseAutoencoder Sae { get; }

    /// <summary>λ as configured (p-annealing may adapt it; see <see cref="Penalty"/>).</summary>
    public double InitialPenalty { get; }

    /// <summary>The λ in force now.</summary>
    public double Penalty => PAnnealing?.Penalty ?? InitialPenalty;

    /// <summary>The base learning rate.</summary>
    public double LearningRate { get; }

    /// <summary>The factor applied to the learning rate at each step.</summary>
    public IAnnealingSchedule LearningRateFactor { get; }

    /// <summary>p-annealing of the sparsity term, or null for a fixed L1 penalty.</summary>
    public PAnnealing? PAnnealing { get; }

    /// <summary>The optimiser, with its state for checkpoints.</summary>
    public ConstrainedAdam Optimizer { get; }

    /// <summary>Takes one training step on the batch <paramref name="x"/> [B, d].</summary>
    public TrainingStepMetrics Step(Tensor x, long step)
    {
        using var scope = NewDisposeScope();
        Optimizer.ZeroGrad();
        var p = PAnnealing?.P ?? 1.0;
        var penalty = Penalty;
        var (loss, reconstruction, sparsity, penalised, features) = Loss(x, p, penalty);
        loss.backward();
        var learningRate = LearningRate * LearningRateFactor.ValueAt(step);
        Optimizer.Step(learningRate);
        if (PAnnealing is { } annealing)
        {
            if (annealing.NextP is { } nextP)
            {
                using var noGrad = no_grad();
                annealing.Record(sparsity.item<float>(), SparsityTerm(penalised.detach(), nextP).item<float>());
            }
            annealing.Advance(step);
        }
        using var active = features.detach().gt(0).sum(1).to_type(ScalarType.Float32);
        return new TrainingStepMetrics(step, loss.item<float>(), reconstruction.item<float>(), sparsity.item<float>(),
            active.mean().item<float>(), p, penalty, learningRate);
    }

    /// <summary>
    /// The recipe's loss at exponent <paramref name="p"/> and penalty <paramref name="penalty"/>: the total,
    /// its reconstruction and (unpenalised) sparsity terms, the activations the sparsity term is taken of,
    /// and the feature activations.
    /// </summary>
    protected abstract (Tensor Loss, Tensor Reconstruction, Tensor Sparsity, Tensor Penalised, Tensor Features) Loss(Tensor x, double p, double penalty);

    /// <summary>Σ_i a_i^p per row, batch mean (for p = 1 the L1 norm of non-negative activations).</summary>
    protected static Tensor SparsityTerm(Tensor activations, double p) =>
        (p == 1.0 ? activations : activations.pow(p)).sum(1).mean();

    /// <inheritdoc />
    public void Dispose()
    {
        Optimizer.Dispose();
        GC.SuppressFinalize(this);
    }
}
