namespace Sae.Metrics.Supervised;

/// <summary>
/// When feature i at threshold t labels element s (docs/reference.md §4): TP / N_on ≥ <paramref name="MinPrecision"/>
/// and TP ≥ <paramref name="MinTruePositives"/>, on the train split. The reference's values are the defaults.
/// </summary>
/// <param name="MinPrecision">The least precision, 0.95 in the reference.</param>
/// <param name="MinTruePositives">The least number of true positives, 10 in the reference.</param>
public sealed record FeatureLabelCriteria(double MinPrecision = 0.95, long MinTruePositives = 10)
{
    /// <summary>The reference's criteria: precision ≥ 0.95 and TP ≥ 10.</summary>
    public static FeatureLabelCriteria Reference { get; } = new();
}
