namespace Sae.Metrics.LanguageModels;

/// <summary>What <see cref="LegalMoveRate.Measure"/> found.</summary>
/// <param name="Rate">Share of positions whose top-1 predicted move is legal.</param>
/// <param name="Positions">Positions scored.</param>
/// <param name="Loss">Mean next-token cross-entropy (nats) over the real next moves.</param>
public sealed record LegalMoveRateResult(double Rate, long Positions, double Loss);
