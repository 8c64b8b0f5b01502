namespace Sae.Metrics.Supervised;

/// <summary>Coverage (train split) and board reconstruction (test split) of one BSP.</summary>
/// <param name="Coverage">Coverage on the train split.</param>
/// <param name="Reconstruction">Board reconstruction by the labelled features on the test split.</param>
public sealed record BspEvaluation(CoverageResult Coverage, BoardReconstructionResult Reconstruction)
{
    /// <summary>The threshold (fraction of each feature's maximum) of the reported reconstruction.</summary>
    public double BestThreshold => Reconstruction.Variants[Reconstruction.BestVariant].Threshold!.Value;

    /// <summary>The bootstrap interval of the coverage over the train games; null where the games were not given.</summary>
    public ConfidenceInterval? CoverageInterval { get; init; }

    /// <summary>The bootstrap interval of the reconstruction F1 over the test games; null where the games were not given.</summary>
    public ConfidenceInterval? ReconstructionInterval { get; init; }
}
