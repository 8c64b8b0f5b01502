using System.CommandLine;
using System.Text;
using Sae.Games.Chess;

namespace Sae.Cli.Commands;

/// <summary><c>sae chess bsp</c>: every chess board state property of each FEN read from standard input, as JSON.</summary>
internal static class ChessBspCommand
{
    public static Command Create(TextReader input)
    {
        var command = new Command("bsp",
            "Read FENs from standard input, one per line; write for each one JSON object with one key per board state property: " +
            "8x8 properties as 64 numbers in square order a1, b1, …, h8 (one-hot ones as the class, -1 where masked), board-level ones as 0 or 1. " +
            "A malformed FEN gives 'error: …'; exit code 1 if any did.");
        CommandAction.Set(command, (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var failed = false;
            var analysis = new ChessAnalysis();
            var json = new StringBuilder();
            while (input.ReadLine() is { } line)
            {
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    analysis.Reset(new ChessPly(ChessPosition.FromFen(line)));
                }
                catch (FenFormatException e)
                {
                    output.WriteLine($"error: {e.Message}");
                    failed = true;
                    continue;
                }
                json.Clear().Append('{');
                foreach (var property in ChessProperties.All)
                {
                    if (json.Length > 1) json.Append(", ");
                    json.Append('"').Append(property.Name).Append("\": ");
                    var values = property.Values(analysis);
                    if (values.Length == 1) json.Append(values[0]);
                    else json.Append('[').AppendJoin(", ", values).Append(']');
                }
                output.WriteLine(json.Append('}').ToString());
            }
            return failed ? 1 : 0;
        });
        return command;
    }
}
