namespace Sae.Metrics.Reports;

/// <summary>Everything the feature browser of one SAE shows (<see cref="FeatureBrowserPage"/> draws it).</summary>
/// <param name="SaeName">The SAE's name in the run.</param>
/// <param name="Game"><c>othello</c> or <c>chess</c>.</param>
/// <param name="Bsp">The 8x8 BSP its labels and lifts are measured on.</param>
/// <param name="Positions">The train-split positions measured.</param>
/// <param name="Features">Every feature, most board-specific first.</param>
/// <param name="Details">The features offered for a closer look (the most board-specific and the most precise), in the same order.</param>
public sealed record FeatureBrowserData(string SaeName, string Game, string Bsp, int Positions, IReadOnlyList<FeatureSummary> Features, IReadOnlyList<FeatureDetail> Details);
