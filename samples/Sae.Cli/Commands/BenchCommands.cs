using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Sae.Games.BoardState;
using Sae.Games.Othello;

namespace Sae.Cli.Commands;

/// <summary><c>sae bench …</c>: speed measurements whose last output line is one JSON object.</summary>
internal static class BenchCommands
{
    public static Command Create() => new("bench", "Measure speed; each benchmark prints, last, one JSON line.")
    {
        OthelloGames(),
        OthelloLabels(),
        SaeBenchCommand.Create(),
        LmBenchCommand.Create(),
        OpsBenchCommand.Create(),
        EvalSupervisedBenchCommand.Create(),
        ChessBenchCommand.Create(),
    };

    private static Command OthelloGames()
    {
        var games = new Option<int>("--games") { Description = "Games per timed run.", DefaultValueFactory = _ => 200_000 };
        var runs = BenchMath.RunsOption();
        var seed = new Option<ulong>("--seed") { Description = "Seed of the games.", DefaultValueFactory = _ => 42 };
        var command = new Command("othello-games", "Random legal Othello games per second on one core (generation into memory).")
        {
            games, runs, seed,
        };
        CommandAction.Set(command, (parseResult, cancellationToken) =>
        {
            var count = OptionValues.AtLeastOne(parseResult, games);
            var runCount = OptionValues.AtLeastOne(parseResult, runs);
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
            BenchMath.WriteResult(parseResult, "games_per_second", BenchMath.Median(rates));
            return 0;
        });
        return command;
    }

    private static Command OthelloLabels()
    {
        var games = new Option<int>("--games") { Description = "Games to label per timed run.", DefaultValueFactory = _ => 20_000 };
        var runs = BenchMath.RunsOption();
        var property = new Option<string>("--property")
        {
            Description = "The board state property to label with.",
            DefaultValueFactory = _ => OthelloProperties.MineYoursBlankMasked.Name,
        };
        var command = new Command("othello-labels", "Plies labelled per second on one core by one Othello board state property (replay not timed).")
        {
            games, runs, property,
        };
        CommandAction.Set(command, (parseResult, cancellationToken) =>
        {
            var count = OptionValues.AtLeastOne(parseResult, games);
            var runCount = OptionValues.AtLeastOne(parseResult, runs);
            var bsp = OthelloProperties.ByName(parseResult.GetRequiredValue(property));
            var replayed = Enumerable.Range(0, count).Select(i => RandomOthelloGames.Game(42, i)).ToList();
            var plies = replayed.Sum(g => (long)g.Length);
            var error = parseResult.InvocationConfiguration.Error;
            var rate = BenchMath.MedianRate(runCount, plies, error, cancellationToken,
                () => replayed.Sum(game => (long)bsp.Label(game.Plies).Length),
                (labels, seconds) => $"{plies:N0} plies ({labels:N0} labels) in {seconds * 1000:F0} ms = {plies / seconds:N0} plies/s");
            BenchMath.WriteResult(parseResult, "plies_per_second", rate);
            return 0;
        });
        return command;
    }
}
