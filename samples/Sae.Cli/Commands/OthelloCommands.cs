using System.CommandLine;
using System.Text.Json;
using Sae.Games.Othello;

namespace Sae.Cli.Commands;

/// <summary><c>sae othello …</c>: make, inspect and replay Othello games.</summary>
internal static class OthelloCommands
{
    public static Command Create(TextReader input) => new("othello", "Othello games: generate synthetic data sets, summarise them, replay games.")
    {
        Generate(),
        Stats(),
        Trace(input),
    };

    private static Command Generate()
    {
        var games = new Option<long>("--games") { Description = "How many games to generate.", Required = true };
        var seed = new Option<ulong>("--seed") { Description = "Seed; the same seed gives the same file.", DefaultValueFactory = _ => 42 };
        var output = new Option<FileInfo>("--out") { Description = "The dataset file to write (replaced atomically).", Required = true };
        var threads = new Option<int?>("--threads") { Description = "Threads to use (default: every core)." };
        var command = new Command("generate", "Generate games of uniformly random legal moves (OthelloGPT's synthetic data) and summarise them.")
        {
            games, seed, output, threads,
        };
        CommandAction.Set(command, (parseResult, cancellationToken) =>
        {
            var count = parseResult.GetValue(games);
            if (count < 0) throw new ArgumentException($"--games must be at least 0, not {count}.");
            var path = parseResult.GetRequiredValue(output).FullName;
            var threadCount = parseResult.GetValue(threads);
            if (threadCount is < 1) throw new ArgumentException($"--threads must be at least 1, not {threadCount}.");
            var error = parseResult.InvocationConfiguration.Error;
            var started = DateTime.UtcNow;
            RandomOthelloGames.WriteFile(path, count, parseResult.GetValue(seed), threadCount,
                new ConsoleProgressBar(error, count, "games"), cancellationToken);
            error.WriteLine($"wrote {count:N0} games to {path} in {(DateTime.UtcNow - started).TotalSeconds:F1} s");
            WriteSummary(parseResult.InvocationConfiguration, path, json: false, cancellationToken);
            return 0;
        });
        return command;
    }

    private static Command Stats()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "An Othello dataset file." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of a table." };
        var command = new Command("stats", "Summarise an Othello dataset: lengths, passes, endings, outcomes.") { file, json };
        CommandAction.Set(command, (parseResult, cancellationToken) =>
        {
            WriteSummary(parseResult.InvocationConfiguration, parseResult.GetRequiredValue(file).FullName, parseResult.GetValue(json), cancellationToken);
            return 0;
        });
        return command;
    }

    private static Command Trace(TextReader input)
    {
        var command = new Command("trace",
            "Replay games from standard input (one per line, moves as square names) and print, per move: " +
            "GAME PLY BOARD TOMOVE LEGAL. Exit code 1 if any game had an unknown or illegal move.");
        CommandAction.Set(command, (parseResult, cancellationToken) =>
            OthelloTrace.Run(input, parseResult.InvocationConfiguration.Output, cancellationToken));
        return command;
    }

    private static void WriteSummary(InvocationConfiguration console, string path, bool json, CancellationToken cancellationToken)
    {
        using var reader = OthelloGameFile.Open(path);
        var progress = new ConsoleProgressBar(console.Error, reader.GameCount, "games summarised");
        var s = OthelloDatasetSummary.Of(reader.ReadGames().Select((game, i) =>
        {
            if ((i & 0xFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress.Report(i);
            }
            return game;
        }));
        progress.Report(reader.GameCount);
        var output = console.Output;
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(new { file = path, seed = reader.Seed, summary = s }, JsonOptions));
            return;
        }
        double Share(long n) => s.Games == 0 ? 0 : 100.0 * n / s.Games;
        output.WriteLine($"file       {path}");
        output.WriteLine($"games      {s.Games:N0} (seed {reader.Seed})");
        output.WriteLine($"moves      mean {s.MeanLength:F2}, min {s.MinLength}, max {s.MaxLength}");
        output.WriteLine($"full board {s.FullBoardGames:N0} games ({Share(s.FullBoardGames):F1}%) fill all 60 squares");
        output.WriteLine($"passes     {s.Passes:N0} in {s.GamesWithPass:N0} games ({Share(s.GamesWithPass):F1}%)");
        output.WriteLine($"wipe-outs  {s.WipeOuts:N0} games end with one colour gone");
        output.WriteLine($"outcome    black {Share(s.BlackWins):F1}%, white {Share(s.WhiteWins):F1}%, draw {Share(s.Draws):F1}%");
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
}
