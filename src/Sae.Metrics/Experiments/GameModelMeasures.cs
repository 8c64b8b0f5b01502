using Sae.Metrics.LanguageModels;

namespace Sae.Metrics.Experiments;

/// <summary>What <see cref="GameModelMeasurement.Measure"/> found on a model's held-out games: what its model card records.</summary>
/// <param name="HeldOut">The loss and legal-move rate on every held-out game (the rate NaN for a game without one).</param>
/// <param name="ProbeBsp">The board state property probed: the game's headline one.</param>
/// <param name="ProbeF1">Per layer, the linear probe's board-reconstruction F1 of <paramref name="ProbeBsp"/>.</param>
public sealed record GameModelMeasures(LegalMoveRateResult HeldOut, string ProbeBsp, IReadOnlyList<double> ProbeF1)
{
    /// <summary>The layer whose probe scores best (the first of equals): the layer an experiment on the model reads by default.</summary>
    public int BestLayer => ProbeF1.Count == 0 ? 0 : ProbeF1.Select((f1, layer) => (f1, layer)).MaxBy(p => p.f1).layer;
}
