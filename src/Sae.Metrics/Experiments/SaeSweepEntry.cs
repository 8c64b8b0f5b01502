using System.Text.Json.Serialization;

namespace Sae.Metrics.Experiments;

/// <summary>One family of SAEs in an experiment's sweep: an architecture, with or without p-annealing, and its penalties (λ, or k for TopK).</summary>
/// <param name="Architecture">The name of a registered architecture (<see cref="Sae.Core.Architectures.SaeArchitectures"/>): standard, gated, topk, batchtopk, jumprelu, or one of the program's own.</param>
/// <param name="PAnneal">Whether the sparsity exponent is annealed from 1 to 0.2.</param>
/// <param name="Penalties">λ values (k values for topk and batchtopk: see <see cref="Sae.Core.Architectures.SaeArchitecture.Sparsity"/>); one SAE each.</param>
/// <param name="LearningRate">
/// The family's learning rate; null (the default) takes the architecture's recipe (docs/reference.md §3: 3e-4, TopK's
/// 2e-4 / √(F / 2¹⁴)), which is tuned for the paper's 36,621 steps. Short runs learn more per step with a larger one.
/// </param>
public sealed record SaeSweepEntry(
    [property: JsonPropertyName("architecture")] string Architecture,
    [property: JsonPropertyName("p_anneal")] bool PAnneal,
    [property: JsonPropertyName("penalties")] IReadOnlyList<double> Penalties,
    [property: JsonPropertyName("learning_rate"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? LearningRate = null)
{
    /// <summary>The family's label in tables and charts, e.g. "Gated + p-anneal".</summary>
    /// <exception cref="ArgumentException">The architecture is not registered.</exception>
    [JsonIgnore]
    public string Label => Sae.Core.Architectures.SaeArchitectures.Get(Architecture).FamilyLabel(PAnneal);
}
