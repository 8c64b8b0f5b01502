namespace Sae.Metrics.Supervised;

/// <summary>A finished stage of <see cref="SupervisedEvaluation.Run"/>, reported through <see cref="IProgress{T}"/>.</summary>
/// <param name="Stage">What was done: <c>maxima</c>, <c>counts</c>, <c>labels</c>, or <c>coverage</c> / <c>reconstruction</c> followed by the BSP's name.</param>
/// <param name="Elapsed">How long it took.</param>
public sealed record SupervisedStage(string Stage, TimeSpan Elapsed);
