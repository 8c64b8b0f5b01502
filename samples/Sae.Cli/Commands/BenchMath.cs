using System.CommandLine;
using System.Globalization;

namespace Sae.Cli.Commands;

/// <summary>Summaries of repeated timings, and how benchmarks take and report them.</summary>
internal static class BenchMath
{
    /// <summary>The median of <paramref name="values"/> (sorts them).</summary>
    public static double Median(List<double> values)
    {
        values.Sort();
        var middle = values.Count / 2;
        return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    /// <summary>The <c>--runs</c> option: timed runs whose median is reported.</summary>
    public static Option<int> RunsOption() =>
        new("--runs") { Description = "Timed runs; the median is reported.", DefaultValueFactory = _ => 5 };

    /// <summary>Prints the benchmark's last line, <c>{"key": value}</c>, rounded to a whole number.</summary>
    public static void WriteResult(ParseResult parseResult, string key, double value) =>
        parseResult.InvocationConfiguration.Output.WriteLine(
            string.Create(CultureInfo.InvariantCulture, $"{{\"{key}\": {Math.Round(value)}}}"));
}
