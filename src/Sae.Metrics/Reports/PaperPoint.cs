namespace Sae.Metrics.Reports;

/// <summary>One SAE (or baseline) the paper evaluated, with the figures its reference repository saved for one BSP.</summary>
/// <param name="Game"><c>othello</c> or <c>chess</c>.</param>
/// <param name="RandomModel">Whether the SAE was trained on a randomly initialised model.</param>
/// <param name="Layer">The residual-stream layer (MLP neurons: the MLP's layer).</param>
/// <param name="Family">The family as the report names it: <c>Standard</c>, <c>Standard + p-anneal</c>, <c>Gated</c>, <c>Gated + p-anneal</c>, <c>TopK</c>, <see cref="PaperPoints.RandomModelFamily"/> or <see cref="PaperPoints.MlpNeuronsFamily"/>.</param>
/// <param name="L0">Mean active features per position.</param>
/// <param name="VarianceExplained">Fraction of variance explained.</param>
/// <param name="LossRecovered">Fraction of the cross-entropy loss recovered.</param>
/// <param name="Bsp">The BSP, named as the library names it.</param>
/// <param name="Coverage">Coverage (the reference's <c>best_average_f1</c>).</param>
/// <param name="Reconstruction">Board reconstruction F1 (the reference's <c>best_f1_score_per_class</c>).</param>
public sealed record PaperPoint(string Game, bool RandomModel, int Layer, string Family, double L0, double VarianceExplained,
    double LossRecovered, string Bsp, double Coverage, double Reconstruction);
