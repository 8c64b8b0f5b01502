namespace Sae.Metrics.Reports;

/// <summary>
/// One value per square of an 8x8 board (index 8·(rank − 1) + file, a1 = 0), drawn as a heat map:
/// e.g. how strongly a feature fires, or how often, when each square holds a given state.
/// </summary>
/// <param name="Values">64 values, one per square.</param>
/// <param name="Title">A caption drawn above the board.</param>
public sealed record BoardHeatMap(IReadOnlyList<double> Values, string Title = "")
{
    /// <summary>The values, checked to be one per square.</summary>
    public IReadOnlyList<double> Values { get; } = Values.Count == 64
        ? Values
        : throw new ArgumentException($"A board heat map needs 64 values, one per square; got {Values.Count}.", nameof(Values));
}
