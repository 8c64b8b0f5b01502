using System.Text.Json.Serialization;

namespace Sae.Metrics.Experiments;

/// <summary>One family of SAEs in an experiment's sweep: an architecture, with or without p-annealing, and its penalties (λ, or k for TopK).</summary>
/// <param name="Architecture">standard, gated or topk.</param>
/// <param name="PAnneal">Whether the sparsity exponent is annealed from 1 to 0.2.</param>
/// <param name="Penalties">λ values (k values for topk); one SAE each.</param>
public sealed record SaeSweepEntry(
    [property: JsonPropertyName("architecture")] string Architecture,
    [property: JsonPropertyName("p_anneal")] bool PAnneal,
    [property: JsonPropertyName("penalties")] IReadOnlyList<double> Penalties)
{
    /// <summary>The family's label in tables and charts, e.g. "Gated + p-anneal".</summary>
    [JsonIgnore]
    public string Label => (Architecture switch { "gated" => "Gated", "topk" => "TopK", _ => "Standard" }) + (PAnneal ? " + p-anneal" : "");
}
