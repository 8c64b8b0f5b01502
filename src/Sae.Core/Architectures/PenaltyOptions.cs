namespace Sae.Core.Architectures;

/// <summary>The options of an architecture trained with a sparsity penalty: standard, gated and JumpReLU SAEs.</summary>
/// <param name="Penalty">λ, on the L1 norm of the feature activations (on their L0 norm for JumpReLU).</param>
public sealed record PenaltyOptions(double Penalty);
