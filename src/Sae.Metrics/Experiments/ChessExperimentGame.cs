using Sae.Core.IO;
using Sae.Core.LanguageModels;
using Sae.Games.Chess;
using Sae.Metrics.Evaluation;
using Sae.Metrics.LanguageModels;

namespace Sae.Metrics.Experiments;

/// <summary>
/// Chess for <see cref="Experiment"/>: ChessGPT transcripts in <c>games.txt</c>, one per line, made from
/// seeded games of random legal moves or of the built-in engine, or read from a PGN file.
/// </summary>
internal sealed class ChessExperimentGame : IExperimentGame
{
    private readonly List<string> _transcripts;
    private readonly IReadOnlyList<ChessBoardStateProperty> _properties;
    private readonly int _width;
    private readonly int _sampleWidth;

    private ChessExperimentGame(List<string> transcripts, IReadOnlyList<ChessBoardStateProperty> properties, int width)
    {
        _transcripts = transcripts;
        _properties = properties;
        _width = width;
        _sampleWidth = Math.Min(width, ChessGptTranscript.DefaultLength); // samples come from the first 256 characters, as the reference's
    }

    /// <summary>Opens the run folder's transcripts, writing <paramref name="total"/> of them first if the file is missing.</summary>
    /// <exception cref="InvalidDataException">The PGN file or the games file holds fewer usable games than the configuration needs.</exception>
    public static ChessExperimentGame Open(string directory, ExperimentConfig config, long total, Action<string, long, long, string> report, CancellationToken cancellationToken)
    {
        var properties = config.Bsps.Select(ChessProperties.ByName).ToList();
        var width = config.Model.ContextLength;
        var path = Path.Combine(directory, "games.txt");
        if (!File.Exists(path))
        {
            report("generate games", 0, total, "games");
            var transcripts = config.Pgn is { } pgn ? FromPgn(pgn, total, width, cancellationToken) : Generate(config, total, width, report, cancellationToken);
            AtomicFile.WriteAllText(path, string.Concat(transcripts.Select(t => t + "\n")));
        }
        var lines = File.ReadAllLines(path);
        if (lines.Length < total)
            throw new InvalidDataException($"{path} holds {lines.Length} games; the configuration needs {total} (model, SAE and evaluation games). Delete it or change the sizes.");
        return new ChessExperimentGame([.. lines], properties, width);
    }

    public long Count => _transcripts.Count;

    public TokenSequences TrainingSequences(long first, int count, string targets) =>
        targets == "sampled"
            ? ChessSequences.From(Read(first, count), _width)
            : throw new ArgumentException($"model_targets '{targets}': chess models train on the sampled next characters only (\"sampled\").");

    public GamePositions Positions(long first, int count) => GamePositions.Chess(Read(first, count), _properties, _sampleWidth);

    public (long[] Tokens, int Width, IReadOnlyList<int[]> Positions) Samples(long first, int count)
    {
        var transcripts = Read(first, count);
        return (ChessSequences.Inputs(transcripts, _sampleWidth), _sampleWidth, [.. transcripts.Select(t => ChessSequences.DotIndices(t, _sampleWidth))]);
    }

    public LegalMoveRateResult Measure(GptModel model, long first, int count, CancellationToken cancellationToken)
    {
        var transcripts = Read(first, count);
        return new LegalMoveRateResult(double.NaN, 0, SequenceLoss.Measure(model, ChessSequences.From(transcripts, _width), cancellationToken: cancellationToken));
    }

    public void Dispose()
    {
    }

    private List<string> Read(long first, int count) => _transcripts.GetRange((int)first, count);

    /// <summary>Seeded games, cut to what the model reads (a ply takes at least three characters, so <paramref name="width"/> plies always fill it).</summary>
    private static List<string> Generate(ExperimentConfig config, long total, int width, Action<string, long, long, string> report, CancellationToken cancellationToken)
    {
        var engine = config.ChessEngineDepth is { } depth ? new ChessEngine(depth) : null;
        var transcripts = new List<string>((int)total);
        for (long i = 0; i < total; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var game = engine is null ? RandomChessGames.Game(config.Seed, i, width) : engine.Game(config.Seed, i, width);
            transcripts.Add(ChessGptTranscript.Truncate(ChessGptTranscript.Format(game), width + 1));
            if (i % 1000 == 999) report("generate games", i + 1, total, "games");
        }
        return transcripts;
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
