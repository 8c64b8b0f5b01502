namespace Sae.Core.Training;

/// <summary>What one training step measured on its batch.</summary>
/// <param name="Step">The 0-based step.</param>
/// <param name="Loss">The total loss.</param>
/// <param name="Reconstruction">The reconstruction term (an L2 norm for the standard recipe, a squared one for the gated).</param>
/// <param name="Sparsity">The sparsity term before the penalty (Σ f^p, or the L1 norm of the gate for gated SAEs), batch mean.</param>
/// <param name="L0">The mean number of active features per input.</param>
/// <param name="P">The sparsity exponent used (1 without p-annealing).</param>
/// <param name="Penalty">The penalty λ used.</param>
/// <param name="LearningRate">The learning rate used.</param>
public sealed record TrainingStepMetrics(
    long Step, double Loss, double Reconstruction, double Sparsity, double L0, double P, double Penalty, double LearningRate);
