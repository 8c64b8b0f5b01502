using MathNet.Numerics.Statistics;
using static TorchSharp.torch;

namespace Sae.Metrics.Supervised;

/// <summary>
/// The resampling behind the supervised metrics' intervals: each resample draws as many games as there
/// are, with replacement, and a metric is recomputed from the per-game counts weighted by how often each
/// game was drawn; the interval is the percentiles of the resampled metric (Math.NET's quantile).
/// </summary>
internal static class GameBootstrap
{
    /// <summary>How many times each of <paramref name="games"/> games is drawn in each resample: float64 [resamples, games], each row summing to <paramref name="games"/>.</summary>
    public static Tensor Multiplicities(int games, BootstrapOptions options)
    {
        options.Check();
        ArgumentOutOfRangeException.ThrowIfLessThan(games, 1);
        var random = new Random(options.Seed);
        var counts = new double[(long)options.Resamples * games];
        for (var b = 0; b < options.Resamples; b++)
            for (var draw = 0; draw < games; draw++)
                counts[(long)b * games + random.Next(games)] += 1;
        return tensor(counts, [options.Resamples, games], ScalarType.Float64);
    }

    /// <summary>The central <paramref name="level"/> interval of <paramref name="resampled"/>: its (1 − level)/2 and (1 + level)/2 quantiles.</summary>
    public static ConfidenceInterval Percentile(IReadOnlyList<double> resampled, double level)
    {
        var sorted = resampled.Order().ToArray();
        return new ConfidenceInterval(
            SortedArrayStatistics.Quantile(sorted, (1 - level) / 2),
            SortedArrayStatistics.Quantile(sorted, (1 + level) / 2));
    }

    /// <summary>The game of each row, from the number of rows of each game in order: int64 [rows].</summary>
    /// <exception cref="ArgumentException">The games' rows do not add up to <paramref name="rows"/>.</exception>
    public static Tensor GameOfRow(IReadOnlyList<int> rowsPerGame, long rows)
    {
        CheckRows(rowsPerGame, rows);
        var ids = new long[rows];
        long at = 0;
        for (var g = 0; g < rowsPerGame.Count; g++)
            for (var r = 0; r < rowsPerGame[g]; r++) ids[at++] = g;
        return tensor(ids);
    }

    /// <summary>Checks that the games' rows are not negative and add up to <paramref name="rows"/>.</summary>
    /// <exception cref="ArgumentException">They do not.</exception>
    public static void CheckRows(IReadOnlyList<int> rowsPerGame, long rows)
    {
        if (rowsPerGame.Any(r => r < 0) || rowsPerGame.Sum(r => (long)r) != rows)
            throw new ArgumentException($"The games' rows add up to {rowsPerGame.Sum(r => (long)r)}; there are {rows} rows.", nameof(rowsPerGame));
    }
}
