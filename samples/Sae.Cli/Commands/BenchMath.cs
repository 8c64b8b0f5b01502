namespace Sae.Cli.Commands;

/// <summary>Summaries of repeated timings.</summary>
internal static class BenchMath
{
    /// <summary>The median of <paramref name="values"/> (sorts them).</summary>
    public static double Median(List<double> values)
    {
        values.Sort();
        var middle = values.Count / 2;
        return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}
