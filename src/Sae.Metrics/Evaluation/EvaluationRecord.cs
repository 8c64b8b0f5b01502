using System.Text.Json.Serialization;

namespace Sae.Metrics.Evaluation;

/// <summary>
/// Everything measured of one subject — an SAE, the model's MLP neurons, or a linear probe — at one
/// layer: what the paper reports per SAE, saved as one JSON object. Values that do not apply to the
/// subject are null.
/// </summary>
public sealed record EvaluationRecord
{
    /// <summary>What was measured: one of <see cref="EvaluationSubjects"/> (<c>sae</c>, <c>random_model_sae</c>, <c>mlp_neurons</c>, <c>linear_probe</c>).</summary>
    [JsonPropertyName("subject")] public required string Subject { get; init; }

    /// <summary>A name for tables: the SAE's directory, or the baseline's name.</summary>
    [JsonPropertyName("name")] public required string Name { get; init; }

    /// <summary>The SAE's architecture.</summary>
    [JsonPropertyName("architecture")] public string? Architecture { get; init; }

    /// <summary>Features (SAE dictionary size, or MLP width).</summary>
    [JsonPropertyName("features")] public int? Features { get; init; }

    /// <summary>The model layer (0-based block) whose output was read.</summary>
    [JsonPropertyName("layer")] public required int Layer { get; init; }

    /// <summary>Samples in the train split.</summary>
    [JsonPropertyName("train_positions")] public required int TrainPositions { get; init; }

    /// <summary>Samples in the test split.</summary>
    [JsonPropertyName("test_positions")] public required int TestPositions { get; init; }

    /// <summary>Mean active features per sample (test split).</summary>
    [JsonPropertyName("l0")] public double? L0 { get; init; }

    /// <summary>Fraction of variance explained by the reconstruction (test split).</summary>
    [JsonPropertyName("fraction_of_variance_explained")] public double? FractionOfVarianceExplained { get; init; }

    /// <summary>Mean squared reconstruction error per element (test split).</summary>
    [JsonPropertyName("mse")] public double? Mse { get; init; }

    /// <summary>Features per firing-density bin on the test split (see <see cref="Unsupervised.ReconstructionMetrics.DensityHistogram"/>).</summary>
    [JsonPropertyName("feature_density_histogram")] public IReadOnlyList<long>? FeatureDensityHistogram { get; init; }

    /// <summary>Features that fired on the train split.</summary>
    [JsonPropertyName("alive_features")] public int? AliveFeatures { get; init; }

    /// <summary>Next-token cross-entropy of the untouched model (test games).</summary>
    [JsonPropertyName("loss_clean")] public double? LossClean { get; init; }

    /// <summary>Cross-entropy with the SAE's reconstruction spliced in.</summary>
    [JsonPropertyName("loss_sae")] public double? LossSae { get; init; }

    /// <summary>Cross-entropy with the layer's output zeroed.</summary>
    [JsonPropertyName("loss_zero")] public double? LossZero { get; init; }

    /// <summary>(loss_sae − loss_zero) / (loss_clean − loss_zero).</summary>
    [JsonPropertyName("loss_recovered")] public double? LossRecovered { get; init; }

    /// <summary>Mean coverage over the paper's 14 chess strategy BSPs, when all were evaluated.</summary>
    [JsonPropertyName("chess_strategy_coverage")] public double? ChessStrategyCoverage { get; init; }

    /// <summary>Mean board reconstruction F1 over the 14 chess strategy BSPs, when all were evaluated.</summary>
    [JsonPropertyName("chess_strategy_reconstruction")] public double? ChessStrategyReconstruction { get; init; }

    /// <summary>Supervised scores per board state property.</summary>
    [JsonPropertyName("bsps")] public required IReadOnlyList<BspScores> Bsps { get; init; }

    /// <summary>This record with the chess strategy averages filled in when every strategy BSP is among <see cref="Bsps"/>.</summary>
    public EvaluationRecord WithStrategyAverages()
    {
        var set = Supervised.BspSet.ChessStrategy;
        if (!set.Members.All(m => Bsps.Any(b => b.Bsp == m))) return this;
        var coverage = Bsps.Where(b => b.Coverage is not null).ToDictionary(b => b.Bsp, b => b.Coverage!.Value);
        return this with
        {
            ChessStrategyCoverage = set.Members.All(coverage.ContainsKey) ? set.Average(coverage) : null,
            ChessStrategyReconstruction = set.Average(Bsps.ToDictionary(b => b.Bsp, b => b.ReconstructionF1)),
        };
    }
}
