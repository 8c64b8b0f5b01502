namespace Sae.Core.Architectures;

/// <summary>
/// What the one number a sweep gives each SAE of an architecture means: a penalty λ (the CLI's <c>--l1</c>), or the
/// number of active features k (<c>--k</c>). Sweeps, the CLI and the experiment's configuration carry that number as a
/// double; the architecture turns it into its typed options (<see cref="PenaltyOptions"/>, <see cref="TopKOptions"/>).
/// </summary>
public enum SparsityParameter
{
    /// <summary>A sparsity penalty λ ≥ 0 (on the L1 norm, or on the L0 norm for JumpReLU).</summary>
    Penalty,

    /// <summary>The number of features kept active per input (or per batch row on average, for BatchTopK).</summary>
    K,
}
