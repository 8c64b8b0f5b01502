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

    /// <summary>
    /// Times <paramref name="work"/> once to warm up, then <paramref name="runs"/> times; each timed run's
    /// line (made by <paramref name="describe"/> from its result and seconds) goes to <paramref name="error"/>.
    /// Returns the median of <paramref name="units"/> / seconds.
    /// </summary>
    public static double MedianRate<T>(int runs, double units, TextWriter error, CancellationToken cancellationToken, Func<T> work, Func<T, double, string> describe)
    {
        var rates = new List<double>();
        for (var run = 0; run <= runs; run++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var result = work();
            var seconds = clock.Elapsed.TotalSeconds;
            if (run == 0) continue; // warm-up
            rates.Add(units / seconds);
            error.WriteLine($"run {run}: {describe(result, seconds)}");
        }
        return Median(rates);
    }
}
