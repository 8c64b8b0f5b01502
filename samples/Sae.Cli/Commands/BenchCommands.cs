using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Sae.Games.Othello;

namespace Sae.Cli.Commands;

/// <summary><c>sae bench …</c>: speed measurements whose last output line is one JSON object.</summary>
internal static class BenchCommands
{
    public static Command Create() => new("bench", "Measure speed; each benchmark prints, last, one JSON line.")
    {
        OthelloGames(),
    };

    private static Command OthelloGames()
    {
        var games = new Option<int>("--games") { Description = "Games per timed run.", DefaultValueFactory = _ => 200_000 };
        var runs = new Option<int>("--runs") { Description = "Timed runs; the median is reported.", DefaultValueFactory = _ => 5 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the games.", DefaultValueFactory = _ => 42 };
        var command = new Command("othello-games", "Random legal Othello games per second on one core (generation into memory).")
        {
            games, runs, seed,
        };
        CommandAction.Set(command, (parseResult, cancellationToken) =>
        {
            var count = parseResult.GetValue(games);
            var runCount = parseResult.GetValue(runs);
            if (count < 1) throw new ArgumentException($"--games must be at least 1, not {count}.");
            if (runCount < 1) throw new ArgumentException($"--runs must be at least 1, not {runCount}.");
            var s = parseResult.GetValue(seed);
            var buffer = new byte[(long)count * OthelloGameFile.RecordLength];
            var error = parseResult.InvocationConfiguration.Error;
            RandomOthelloGames.Fill(s, 0, buffer.AsSpan(0, Math.Min(count, 20_000) * OthelloGameFile.RecordLength), threads: 1);
            var rates = new List<double>();
            for (var run = 0; run < runCount; run++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var clock = Stopwatch.StartNew();
                RandomOthelloGames.Fill(s, (long)run * count, buffer, threads: 1, cancellationToken);
                var rate = count / clock.Elapsed.TotalSeconds;
                rates.Add(rate);
                error.WriteLine($"run {run + 1}: {count:N0} games in {clock.Elapsed.TotalMilliseconds:F0} ms = {rate:N0} games/s");
            }
            rates.Sort();
            var median = rates.Count % 2 == 1 ? rates[rates.Count / 2] : (rates[rates.Count / 2 - 1] + rates[rates.Count / 2]) / 2;
            parseResult.InvocationConfiguration.Output.WriteLine(
                string.Create(CultureInfo.InvariantCulture, $"{{\"games_per_second\": {Math.Round(median)}}}"));
            return 0;
        });
        return command;
    }
}
