using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Sae.Games.Chess;

namespace Sae.Cli.Commands;

/// <summary><c>sae bench chess-labels</c>: positions per second labelled with every chess board state property, on one core.</summary>
internal static class ChessBenchCommand
{
    public static Command Create()
    {
        var games = new Option<int>("--games") { Description = "Random games whose positions are labelled per timed run.", DefaultValueFactory = _ => 500 };
        var runs = BenchMath.RunsOption();
        var property = new Option<string?>("--property") { Description = "Label with this one property only (default: the 23 of the reference)." };
        var command = new Command("chess-labels",
            "Positions of random games (up to 200 plies each) labelled per second on one core, all 23 reference properties in one pass " +
            "(game replay not timed); prints, last, {\"positions_per_second\": …}.")
        {
            games, runs, property,
        };
        CommandAction.Set(command, (parseResult, cancellationToken) =>
        {
            var count = OptionValues.AtLeastOne(parseResult, games);
            var runCount = OptionValues.AtLeastOne(parseResult, runs);
            IReadOnlyList<ChessBoardStateProperty> properties = parseResult.GetValue(property) is { } name
                ? [ChessProperties.ByName(name)]
                : ChessProperties.Reference;
            var plies = Enumerable.Range(0, count).SelectMany(i => RandomChessGames.Game(42, i, maxPlies: 200).Plies()).ToList();
            var error = parseResult.InvocationConfiguration.Error;
            var rate = BenchMath.MedianRate(runCount, plies.Count, error, cancellationToken,
                () => ChessProperties.Label(plies, properties).Sum(l => (long)l.Length),
                (labels, seconds) => $"{plies.Count:N0} positions ({labels:N0} labels) in {seconds * 1000:F0} ms = {plies.Count / seconds:N0} positions/s");
            BenchMath.WriteResult(parseResult, "positions_per_second", rate);
            return 0;
        });
        return command;
    }
}
