using Sae.Core.LanguageModels;
using Sae.Games.BoardState;
using Sae.Games.Othello;
using Sae.Metrics.Evaluation;
using Sae.Metrics.LanguageModels;

namespace Sae.Metrics.Experiments;

/// <summary>Othello for <see cref="Experiment"/>: synthetic games of random legal moves in <c>games.othello</c>.</summary>
internal sealed class OthelloExperimentGame : IExperimentGame
{
    private readonly OthelloGameFileReader _reader;
    private readonly IReadOnlyList<IBoardStateProperty<OthelloPly>> _properties;

    private OthelloExperimentGame(OthelloGameFileReader reader, IReadOnlyList<IBoardStateProperty<OthelloPly>> properties)
    {
        _reader = reader;
        _properties = properties;
    }

    /// <summary>Opens the run folder's games, generating <paramref name="total"/> of them first if the file is missing.</summary>
    public static OthelloExperimentGame Open(string directory, ExperimentConfig config, long total, Action<string, long, long, string> report, CancellationToken cancellationToken)
    {
        var properties = config.Bsps.Select(OthelloProperties.ByName).ToList();
        var path = Path.Combine(directory, "games.othello");
        if (!File.Exists(path))
        {
            report("generate games", 0, total, "games");
            RandomOthelloGames.WriteFile(path, total, config.Seed, cancellationToken: cancellationToken);
        }
        return new OthelloExperimentGame(OthelloGameFile.Open(path), properties);
    }

    public long Count => _reader.GameCount;

    public TokenSequences TrainingSequences(long first, int count, string targets)
    {
        var games = Read(first, count);
        return targets switch
        {
            "legal-moves" => OthelloSequences.WithLegalMoveTargets(games),
            "sampled" => OthelloSequences.From(games),
            _ => throw new ArgumentException($"Unknown model_targets '{targets}' (legal-moves, sampled)."),
        };
    }

    public GamePositions Positions(long first, int count) => GamePositions.Othello(Read(first, count), _properties);

    public (long[] Tokens, int Width, IReadOnlyList<int[]> Positions) Samples(long first, int count)
    {
        var games = Read(first, count);
        return (OthelloSequences.Inputs(games), OthelloTokenizer.ContextLength, OthelloSequences.MovePositions(games));
    }

    public LegalMoveRateResult Measure(GptModel model, long first, int count, CancellationToken cancellationToken) =>
        LegalMoveRate.Measure(model, Read(first, count), cancellationToken: cancellationToken);

    public void Dispose() => _reader.Dispose();

    private List<OthelloGame> Read(long first, int count) => _reader.ReadGames(first, count).ToList();
}
