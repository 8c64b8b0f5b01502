using Sae.Core.IO;
using Sae.Games.Chess;

namespace Sae.Metrics.Experiments;

/// <summary>
/// Chess for the experiment: ChessGPT transcripts in <c>games.txt</c>, one per line, made from seeded games of random
/// legal moves or of the built-in engine (<see cref="ExperimentConfig.ChessEngineDepth"/>), or read from a PGN file
/// (<see cref="ExperimentConfig.Pgn"/>).
/// </summary>
public sealed class ChessExperimentGame : ExperimentGame
{
    /// <inheritdoc />
    public override string Name => "chess";

    /// <inheritdoc />
    public override string GamesFileName => "games.txt";

    /// <inheritdoc />
    public override IReadOnlyList<string> DefaultBsps => ExperimentConfig.ChessLaptop.Bsps;

    /// <inheritdoc />
    public override ExperimentConfig Preset(string name) => name switch
    {
        "laptop" => ExperimentConfig.ChessLaptop,
        "smoke" => ExperimentConfig.ChessSmoke,
        "paper" => ExperimentConfig.ChessPaper,
        _ => throw UnknownPreset(name),
    };

    /// <inheritdoc />
    public override string? BspNote(string bsp) =>
        bsp == ChessProperties.PieceBlankInitialMasked.Name ? "the paper's chess SAEs reach coverage near 0.47 and reconstruction near 0.85 on it" : null;

    /// <inheritdoc />
    /// <exception cref="InvalidDataException">The PGN file holds fewer usable games than <paramref name="total"/>.</exception>
    public override void WriteGames(string path, ExperimentConfig config, long total, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var transcripts = config.Pgn is { } pgn ? FromPgn(pgn, total, config.Model.ContextLength, cancellationToken) : Generate(config, total, progress, cancellationToken);
        AtomicFile.WriteAllText(path, string.Concat(transcripts.Select(t => t + "\n")));
    }

    /// <inheritdoc />
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    public override IGameDataset Open(string path, IReadOnlyList<string> bsps, int contextLength)
    {
        var properties = bsps.Select(ChessProperties.ByName).ToList();
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file.");
        return new ChessGameDataset([.. File.ReadLines(path).Where(l => l.Length > 0)], properties, contextLength);
    }

    /// <summary>Seeded games, cut to what the model reads (a ply takes at least three characters, so as many plies as the context has characters always fill it).</summary>
    private static List<string> Generate(ExperimentConfig config, long total, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var engine = Engine(config);
        var transcripts = new List<string>((int)total);
        for (long i = 0; i < total; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            transcripts.Add(Transcript(config, engine, i));
            if (i % 1000 == 999) progress?.Report(i + 1);
        }
        return transcripts;
    }

    /// <summary>
    /// Generated game <paramref name="index"/> of <paramref name="config"/>'s games as <see cref="WriteGames"/> writes it: a transcript
    /// of at most the model's context + 1 characters, from <see cref="ExperimentConfig.Seed"/> and the chess settings alone.
    /// </summary>
    /// <exception cref="ArgumentException">The random-play settings are given without an engine depth.</exception>
    public static string Transcript(ExperimentConfig config, long index) => Transcript(config, Engine(config), index);

    private static string Transcript(ExperimentConfig config, ChessEngine? engine, long index)
    {
        var width = config.Model.ContextLength;
        var game = engine is null ? RandomChessGames.Game(config.Seed, index, width) : engine.Game(config.Seed, index, width);
        return ChessGptTranscript.Truncate(ChessGptTranscript.Format(game), width + 1);
    }

    /// <summary>The engine of <paramref name="config"/>'s games, or null for uniformly random legal moves.</summary>
    private static ChessEngine? Engine(ExperimentConfig config)
    {
        if (config.ChessEngineDepth is { } depth)
            return new ChessEngine(depth) { RandomOpeningPlies = config.ChessRandomOpening ?? 0, RandomMoveProbability = config.ChessRandomMoves ?? 0 };
        if (config.ChessRandomOpening is not null || config.ChessRandomMoves is not null)
            throw new ArgumentException("chess_random_opening and chess_random_moves apply to engine games: set chess_engine_depth.");
        return null;
    }

    /// <summary>The first <paramref name="total"/> readable games of a PGN file that start from the initial position, as transcripts.</summary>
    private static List<string> FromPgn(string pgnPath, long total, int width, CancellationToken cancellationToken)
    {
        using var text = File.OpenText(pgnPath);
        var transcripts = new List<string>();
        var skipped = 0;
        foreach (var game in new PgnReader(text).ReadGames(_ => skipped++))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (game.Game.Start != ChessPosition.Initial)
            {
                skipped++;
                continue;
            }
            transcripts.Add(ChessGptTranscript.Truncate(ChessGptTranscript.Format(game.Game), width + 1));
            if (transcripts.Count == total) return transcripts;
        }
        throw new InvalidDataException($"{pgnPath} has {transcripts.Count} usable games ({skipped} skipped: unreadable or not from the initial position); the configuration needs {total}.");
    }
}
