using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Sae.Games.Chess;

namespace Sae.Cli.Commands;

/// <summary><c>sae chess …</c>: chess rules, notation, transcripts and board state properties.</summary>
internal static class ChessCommands
{
    public static Command Create(TextReader input) => new("chess", "Chess: perft, legal moves in SAN, board state properties, PGN to ChessGPT transcripts, generated games.")
    {
        Perft(),
        Moves(input),
        ChessBspCommand.Create(input),
        PgnToGpt(input),
        Generate(),
    };

    private static Command Perft()
    {
        var fen = new Option<string>("--fen") { Description = "The position (FEN).", DefaultValueFactory = _ => ChessFen.InitialFen };
        var depth = new Option<int>("--depth") { Description = "Plies to count to (the last one in bulk).", Required = true };
        var command = new Command("perft", "Count the leaf nodes of the legal move tree; prints {\"nodes\": …, \"nodes_per_second\": …} on one core.")
        {
            fen, depth,
        };
        CommandAction.Set(command, (parseResult, cancellationToken) =>
        {
            var d = parseResult.GetValue(depth);
            if (d < 0) throw new ArgumentException($"--depth must be at least 0, not {d}.");
            var position = ChessPosition.FromFen(parseResult.GetRequiredValue(fen));
            var clock = Stopwatch.StartNew();
            var nodes = Games.Chess.Perft.Count(position, d, cancellationToken);
            var seconds = clock.Elapsed.TotalSeconds;
            parseResult.InvocationConfiguration.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{{\"nodes\": {nodes}, \"nodes_per_second\": {Math.Round(nodes / Math.Max(seconds, 1e-9))}}}"));
            return 0;
        });
        return command;
    }

    private static Command Moves(TextReader input)
    {
        var command = new Command("moves",
            "Read FENs from standard input, one per line; write each position's legal moves in SAN, sorted (ordinal), " +
            "space-separated (an empty line when there are none). A malformed FEN gives 'error: …'; exit code 1 if any did.");
        CommandAction.Set(command, (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var failed = false;
            Span<ChessMove> legal = stackalloc ChessMove[256];
            while (input.ReadLine() is { } line)
            {
                cancellationToken.ThrowIfCancellationRequested();
                ChessPosition position;
                try
                {
                    position = ChessPosition.FromFen(line);
                }
                catch (FenFormatException e)
                {
                    output.WriteLine($"error: {e.Message}");
                    failed = true;
                    continue;
                }
                var n = position.LegalMoves(legal);
                var sans = new string[n];
                for (var i = 0; i < n; i++) sans[i] = San.Write(position, legal[i], legal[..n]);
                Array.Sort(sans, StringComparer.Ordinal);
                output.WriteLine(string.Join(' ', sans));
            }
            return failed ? 1 : 0;
        });
        return command;
    }

    private static Command Generate()
    {
        var games = new Option<int>("--games") { Description = "How many games.", Required = true };
        var seed = new Option<ulong>("--seed") { Description = "Seed; game i depends only on (seed, i).", DefaultValueFactory = _ => 42 };
        var engine = new Option<int?>("--engine-depth") { Description = "Play with the built-in engine searching this many plies (1-4) instead of uniformly random legal moves." };
        var maxPlies = new Option<int>("--max-plies") { Description = "Stop a game after this many plies if the rules have not ended it.", DefaultValueFactory = _ => 400 };
        var length = new Option<int?>("--length") { Description = "Truncate each transcript to this many characters (the reference uses 256)." };
        var openingPlies = new Option<int>("--random-opening") { Description = "With --engine-depth: the first N plies of each game are uniformly random legal moves, so that games differ.", DefaultValueFactory = _ => 0 };
        var randomMoves = new Option<double>("--random-moves") { Description = "With --engine-depth: after the opening, each ply is a uniformly random legal move with this probability.", DefaultValueFactory = _ => 0.0 };
        var threads = new Option<int?>("--threads") { Description = "Threads playing games (default: every core); the output is the same for any number." };
        var command = new Command("generate", "Write one ChessGPT transcript per line for seeded games of random legal moves or of the built-in engine.")
        {
            games, seed, engine, maxPlies, length, openingPlies, randomMoves, threads,
        };
        CommandAction.Set(command, (parseResult, cancellationToken) =>
        {
            var count = parseResult.GetValue(games);
            if (count < 0) throw new ArgumentException($"--games must be at least 0, not {count}.");
            var plies = parseResult.GetValue(maxPlies);
            if (plies < 0) throw new ArgumentException($"--max-plies must be at least 0, not {plies}.");
            var max = parseResult.GetValue(length);
            if (max is < 1) throw new ArgumentException($"--length must be at least 1, not {max}.");
            var depth = parseResult.GetValue(engine);
            if (depth is < 1 or > 4) throw new ArgumentException($"--engine-depth must be from 1 to 4, not {depth}.");
            var opening = parseResult.GetValue(openingPlies);
            if (opening < 0) throw new ArgumentException($"--random-opening must be at least 0, not {opening}.");
            var probability = parseResult.GetValue(randomMoves);
            if (!(probability is >= 0 and <= 1)) throw new ArgumentException($"--random-moves must be a probability from 0 to 1, not {probability}.");
            if (depth is null && (opening > 0 || probability > 0)) throw new ArgumentException("--random-opening and --random-moves apply to engine games: give --engine-depth.");
            var player = depth is { } d ? new ChessEngine(d) { RandomOpeningPlies = opening, RandomMoveProbability = probability } : null;
            var s = parseResult.GetValue(seed);
            var workers = parseResult.GetValue(threads) ?? Environment.ProcessorCount;
            if (workers < 1) throw new ArgumentException($"--threads must be at least 1, not {workers}.");
            var output = parseResult.InvocationConfiguration.Output;
            // Games are played a block at a time on every thread and written in order: game i depends on (seed, i) only.
            const int Block = 1024;
            var block = new string[Block];
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken };
            for (var first = 0; first < count; first += Block)
            {
                var n = Math.Min(Block, count - first);
                Parallel.For(0, n, parallel, j =>
                {
                    var game = player is null ? RandomChessGames.Game(s, first + j, plies) : player.Game(s, first + j, plies);
                    var transcript = ChessGptTranscript.Format(game);
                    block[j] = max is { } m ? ChessGptTranscript.Truncate(transcript, m) : transcript;
                });
                for (var j = 0; j < n; j++) output.WriteLine(block[j]);
            }
            return 0;
        });
        return command;
    }

    private static Command PgnToGpt(TextReader input)
    {
        var length = new Option<int?>("--length") { Description = "Truncate each transcript to this many characters (the reference uses 256); default: whole games." };
        var command = new Command("pgn2gpt",
            "Read PGN from standard input and write one ChessGPT transcript (';1.e4 e5 2.Nf3 …') per game. " +
            "A game that cannot be read is reported on standard error with its number and skipped; exit code 1 if any was.")
        {
            length,
        };
        CommandAction.Set(command, (parseResult, cancellationToken) =>
        {
            var max = parseResult.GetValue(length);
            if (max is < 1) throw new ArgumentException($"--length must be at least 1, not {max}.");
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var failed = false;
            var reader = new PgnReader(input);
            foreach (var game in reader.ReadGames(e =>
                     {
                         error.WriteLine($"sae: skipped {e.Message}");
                         failed = true;
                     }))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (game.Game.Start != ChessPosition.Initial)
                {
                    error.WriteLine($"sae: skipped game {game.Number}: it starts from a set-up position ({game.Game.Start.ToFen()}), not the standard start");
                    failed = true;
                    continue;
                }
                var transcript = ChessGptTranscript.Format(game.Game);
                output.WriteLine(max is { } m ? ChessGptTranscript.Truncate(transcript, m) : transcript);
            }
            return failed ? 1 : 0;
        });
        return command;
    }
}
