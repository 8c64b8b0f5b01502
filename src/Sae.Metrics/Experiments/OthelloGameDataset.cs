using Sae.Core.LanguageModels;
using Sae.Games.BoardState;
using Sae.Games.Othello;
using Sae.Metrics.Evaluation;
using Sae.Metrics.LanguageModels;

namespace Sae.Metrics.Experiments;

/// <summary>An <c>.othello</c> games file, read by range (<see cref="OthelloExperimentGame.Open"/>).</summary>
internal sealed class OthelloGameDataset(OthelloGameFileReader reader, IReadOnlyList<IBoardStateProperty<OthelloPly>> properties) : IGameDataset
{
    public long Count => reader.GameCount;

    public TokenSequences TrainingSequences(long first, int count, string targets)
    {
        var games = Read(first, count);
        return targets switch
        {
            ModelTargets.LegalMoves => OthelloSequences.WithLegalMoveTargets(games),
            ModelTargets.Sampled => OthelloSequences.From(games),
            _ => throw new ArgumentException($"Unknown model_targets '{targets}' ({string.Join(", ", ModelTargets.All)})."),
        };
    }

    public GamePositions Positions(long first, int count) => GamePositions.Othello(Read(first, count), properties);

    public (long[] Tokens, int Width, IReadOnlyList<int[]> Positions) Samples(long first, int count)
    {
        var games = Read(first, count);
        return (OthelloSequences.Inputs(games), OthelloTokenizer.ContextLength, OthelloSequences.MovePositions(games));
    }

    public LegalMoveRateResult Measure(GptModel model, long first, int count, CancellationToken cancellationToken) =>
        LegalMoveRate.Measure(model, Read(first, count), cancellationToken: cancellationToken);

    public void Dispose() => reader.Dispose();

    private List<OthelloGame> Read(long first, int count) => reader.ReadGames(first, count).ToList();
}
