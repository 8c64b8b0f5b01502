using System.Text.Json.Serialization;

namespace Sae.Metrics.Supervised;

/// <summary>A confidence interval [<paramref name="Low"/>, <paramref name="High"/>] of a metric.</summary>
/// <param name="Low">The lower bound.</param>
/// <param name="High">The upper bound.</param>
public sealed record ConfidenceInterval(
    [property: JsonPropertyName("low")] double Low,
    [property: JsonPropertyName("high")] double High)
{
    /// <summary>Whether the two intervals do not overlap: the difference of the two metrics is measurable at this size.</summary>
    public bool SeparatesFrom(ConfidenceInterval other) => Low > other.High || other.Low > High;
}
