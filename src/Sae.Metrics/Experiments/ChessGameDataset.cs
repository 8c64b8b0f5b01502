using Sae.Core.LanguageModels;
using Sae.Games.Chess;
using Sae.Metrics.Evaluation;
using Sae.Metrics.LanguageModels;

namespace Sae.Metrics.Experiments;

/// <summary>A text file of ChessGPT transcripts, one per line, held in memory and read by range (<see cref="ChessExperimentGame.Open"/>).</summary>
internal sealed class ChessGameDataset : IGameDataset
{
    private readonly List<string> _transcripts;
    private readonly IReadOnlyList<ChessBoardStateProperty> _properties;
    private readonly int _width;
    private readonly int _sampleWidth;

    public ChessGameDataset(List<string> transcripts, IReadOnlyList<ChessBoardStateProperty> properties, int width)
    {
        _transcripts = transcripts;
        _properties = properties;
        _width = width;
        _sampleWidth = Math.Min(width, ChessGptTranscript.DefaultLength); // samples come from the first 256 characters, as the reference's
    }

    public long Count => _transcripts.Count;

    public TokenSequences TrainingSequences(long first, int count, string targets) =>
        targets == ModelTargets.Sampled
            ? ChessSequences.From(Read(first, count), _width)
            : throw new ArgumentException($"model_targets '{targets}': chess models train on the sampled next characters only (\"{ModelTargets.Sampled}\").");

    public GamePositions Positions(long first, int count) => GamePositions.Chess(Read(first, count), _properties, _sampleWidth);

    public (long[] Tokens, int Width, IReadOnlyList<int[]> Positions) Samples(long first, int count)
    {
        var transcripts = Read(first, count);
        // SAEs read every position, as the reference's; the board states are sampled at the dots (Positions).
        return (ChessSequences.Inputs(transcripts, _sampleWidth), _sampleWidth, [.. transcripts.Select(t => ChessSequences.CharacterIndices(t, _sampleWidth))]);
    }

    // The loss is measured on what samples are read from, as the reference's: a transcript's first 256 characters at most.
    public LegalMoveRateResult Measure(GptModel model, long first, int count, CancellationToken cancellationToken) =>
        new(double.NaN, 0, SequenceLoss.Measure(model, ChessSequences.From(Read(first, count), _sampleWidth), cancellationToken: cancellationToken));

    public void Dispose()
    {
    }

    private List<string> Read(long first, int count) => _transcripts.GetRange((int)first, count);
}
