using System.Text.Json.Serialization;
using Sae.Metrics.Supervised;

namespace Sae.Metrics.Evaluation;

/// <summary>The supervised scores of one board state property.</summary>
/// <param name="Bsp">The property's name.</param>
/// <param name="Coverage">Coverage on the train split (null for a probe, which has no features to cover with).</param>
/// <param name="ReconstructionF1">Board reconstruction: the per-class F1 at the chosen threshold (test split).</param>
/// <param name="ReconstructionF1PerSquare">The per-square F1 at the same threshold.</param>
/// <param name="BestThreshold">The chosen threshold (null for a probe without thresholds).</param>
/// <param name="CoverageInterval">The 95% bootstrap interval of <paramref name="Coverage"/> over the train games (null where not computed).</param>
/// <param name="ReconstructionInterval">The 95% bootstrap interval of <paramref name="ReconstructionF1"/> over the test games (null where not computed).</param>
public sealed record BspScores(
    [property: JsonPropertyName("bsp")] string Bsp,
    [property: JsonPropertyName("coverage")] double? Coverage,
    [property: JsonPropertyName("reconstruction_f1")] double ReconstructionF1,
    [property: JsonPropertyName("reconstruction_f1_per_square")] double ReconstructionF1PerSquare,
    [property: JsonPropertyName("best_threshold")] double? BestThreshold,
    [property: JsonPropertyName("coverage_ci"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ConfidenceInterval? CoverageInterval = null,
    [property: JsonPropertyName("reconstruction_f1_ci"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ConfidenceInterval? ReconstructionInterval = null);
