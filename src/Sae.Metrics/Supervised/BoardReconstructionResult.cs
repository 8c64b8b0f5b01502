using Sae.Metrics.Probes;

namespace Sae.Metrics.Supervised;

/// <summary>
/// Board reconstruction of one BSP by one probe on the test split (docs/reference.md §4): counts pooled over
/// all test boards, squares and classes, per variant of the probe, and the scores they give.
/// </summary>
/// <param name="Bsp">The BSP's name.</param>
/// <param name="Variants">The probe's variants; every array below has one value per variant.</param>
/// <param name="Positions">Test positions scored.</param>
/// <param name="TruePositives">Predicted and true elements.</param>
/// <param name="FalsePositives">Predicted, not true.</param>
/// <param name="FalseNegatives">True, not predicted.</param>
/// <param name="SquaresWithTrueAndFalsePositive">Squares (R x R cells) with exactly one true-positive class and exactly one false-positive class.</param>
/// <param name="PrecisionPerClass">TP / (TP + FP + ε).</param>
/// <param name="RecallPerClass">TP / (TP + FN + ε).</param>
/// <param name="F1PerClass">2PR / (P + R + ε): the reference's <c>f1_score_per_class</c>.</param>
/// <param name="PrecisionPerSquare">TP' / (TP' + FP + ε) with TP' = TP − squares with a true and a false positive.</param>
/// <param name="RecallPerSquare">TP' / (TP' + FN + ε).</param>
/// <param name="F1PerSquare">2PR / (P + R + ε) of the per-square variant.</param>
/// <param name="BestVariant">The selectable variant with the largest per-square F1 (the first, on ties).</param>
public sealed record BoardReconstructionResult(
    string Bsp,
    IReadOnlyList<ProbeVariant> Variants,
    long Positions,
    IReadOnlyList<long> TruePositives,
    IReadOnlyList<long> FalsePositives,
    IReadOnlyList<long> FalseNegatives,
    IReadOnlyList<long> SquaresWithTrueAndFalsePositive,
    IReadOnlyList<double> PrecisionPerClass,
    IReadOnlyList<double> RecallPerClass,
    IReadOnlyList<double> F1PerClass,
    IReadOnlyList<double> PrecisionPerSquare,
    IReadOnlyList<double> RecallPerSquare,
    IReadOnlyList<double> F1PerSquare,
    int BestVariant)
{
    /// <summary>
    /// The counts per test game, [games, 4, variants]: TP, FP, FN and squares with a true and a false positive
    /// (summing over games gives the pooled counts); null unless scored with the games' rows.
    /// </summary>
    public long[,,]? GameCounts { get; init; }

    /// <summary>The reported score: the per-class F1 at the best variant.</summary>
    public double F1 => F1PerClass[BestVariant];

    /// <summary>The per-square F1 at the best variant.</summary>
    public double F1PerSquareAtBest => F1PerSquare[BestVariant];
}
