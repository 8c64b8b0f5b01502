namespace Sae.Core.Training;

/// <summary>What computing one batch's gradients measured.</summary>
/// <param name="Loss">The total loss.</param>
/// <param name="Reconstruction">The reconstruction term.</param>
/// <param name="Sparsity">The unpenalised sparsity term at the current p.</param>
/// <param name="L0">The mean number of active features per input.</param>
/// <param name="SparsityAtNextP">The sparsity term at the next p, when p-annealing asked for it.</param>
public readonly record struct GradientResult(double Loss, double Reconstruction, double Sparsity, double L0, double? SparsityAtNextP);
