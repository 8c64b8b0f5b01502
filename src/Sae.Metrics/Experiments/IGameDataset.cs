using Sae.Core.LanguageModels;
using Sae.Metrics.Evaluation;
using Sae.Metrics.LanguageModels;

namespace Sae.Metrics.Experiments;

/// <summary>
/// A file of one game's games, opened by <see cref="ExperimentGame.Open"/>: numbered 0..<see cref="Count"/>−1 and read by
/// range, so that the experiment can give the model, the SAEs and the evaluation's two splits disjoint games, and so that
/// every command reads any game's data the same way.
/// </summary>
public interface IGameDataset : IDisposable
{
    /// <summary>Number of games available.</summary>
    long Count { get; }

    /// <summary>
    /// Next-token training sequences of games [first, first + count): against the moves played (<paramref name="targets"/>
    /// <c>sampled</c>) or against the legal moves each was drawn from (<c>legal-moves</c>), where the game supports it.
    /// </summary>
    /// <exception cref="ArgumentException">The game does not train against <paramref name="targets"/>.</exception>
    TokenSequences TrainingSequences(long first, int count, string targets);

    /// <summary>Games [first, first + count) ready for evaluation, labelled with the board state properties the dataset was opened with.</summary>
    GamePositions Positions(long first, int count);

    /// <summary>
    /// The model inputs of games [first, first + count), one row of <c>Width</c> tokens each, and per game the positions whose
    /// activations train SAEs: every position the reference's SAEs read (Othello's move positions; every character of a
    /// chess transcript, where the board states of <see cref="Positions"/> are only sampled at the dots).
    /// </summary>
    (long[] Tokens, int Width, IReadOnlyList<int[]> Positions) Samples(long first, int count);

    /// <summary>The model's next-token loss on games [first, first + count) and, where the game defines it, its legal-move rate (NaN where not).</summary>
    LegalMoveRateResult Measure(GptModel model, long first, int count, CancellationToken cancellationToken);
}
