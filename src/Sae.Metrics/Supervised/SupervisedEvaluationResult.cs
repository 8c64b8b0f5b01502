namespace Sae.Metrics.Supervised;

/// <summary>The supervised metrics of one set of features, per BSP.</summary>
/// <param name="AliveFeatures">Features non-zero at least once on the train split (only they are analysed).</param>
/// <param name="FeatureCount">All features.</param>
/// <param name="Bsps">One result per BSP, in the order they were asked for.</param>
public sealed record SupervisedEvaluationResult(int AliveFeatures, int FeatureCount, IReadOnlyList<BspEvaluation> Bsps);
