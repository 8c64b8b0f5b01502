namespace Sae.Metrics.Supervised;

/// <summary>Coverage of one BSP (docs/reference.md §4).</summary>
/// <param name="Bsp">The BSP's name.</param>
/// <param name="Coverage">max over thresholds of the mean over elements of the best feature's F1.</param>
/// <param name="BestThreshold">The index (0 … 10) of the threshold that gave it (the first, on ties).</param>
/// <param name="PerThreshold">The mean best F1 at each of the 11 thresholds.</param>
public sealed record CoverageResult(string Bsp, double Coverage, int BestThreshold, IReadOnlyList<double> PerThreshold);
