namespace Sae.Metrics.Supervised;

/// <summary>The supervised metrics of one set of features, per BSP.</summary>
/// <param name="AliveFeatures">Features whose maximum on the train split is above zero (only they are analysed).</param>
/// <param name="FeatureCount">All features.</param>
/// <param name="Bsps">One result per BSP, in the order they were asked for.</param>
public sealed record SupervisedEvaluationResult(int AliveFeatures, int FeatureCount, IReadOnlyList<BspEvaluation> Bsps);

/// <summary>Coverage (train split) and board reconstruction (test split) of one BSP.</summary>
/// <param name="Coverage">Coverage on the train split.</param>
/// <param name="Reconstruction">Board reconstruction by the labelled features on the test split.</param>
public sealed record BspEvaluation(CoverageResult Coverage, BoardReconstructionResult Reconstruction)
{
    /// <summary>The threshold (fraction of each feature's maximum) of the reported reconstruction.</summary>
    public double BestThreshold => Reconstruction.Variants[Reconstruction.BestVariant].Threshold!.Value;
}
