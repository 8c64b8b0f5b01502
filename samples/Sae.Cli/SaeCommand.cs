using System.CommandLine;
using Sae.Cli.Commands;

namespace Sae.Cli;

/// <summary>The root of the <c>sae</c> command line.</summary>
public static class SaeCommand
{
    /// <summary>Builds every subcommand; <paramref name="input"/> is what commands that read standard input read.</summary>
    public static RootCommand Create(TextReader input)
    {
        var root = new RootCommand("sae: sparse autoencoders for board-game language models, measured against the board state.")
        {
            OthelloCommands.Create(input),
            ChessCommands.Create(input),
            TrainCommand.Create(),
            EvalCommands.Create(),
            LmCommands.Create(),
            ImportCommand.Create(),
            BenchCommands.Create(),
            RunCommand.Create(),
            RunCommand.Report(),
            SlurmCommands.Create(),
        };
        return root;
    }
}
