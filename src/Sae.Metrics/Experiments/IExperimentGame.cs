using Sae.Core.LanguageModels;
using Sae.Metrics.Evaluation;
using Sae.Metrics.LanguageModels;

namespace Sae.Metrics.Experiments;

/// <summary>
/// What <see cref="Experiment"/> needs of a game: its games in the run folder, numbered 0..N−1 and
/// read by range (the model's, then the SAEs', then the evaluation's two splits), and the game's own
/// tokens, sample positions, labels and measure of the model.
/// </summary>
internal interface IExperimentGame : IDisposable
{
    /// <summary>Number of games available.</summary>
    long Count { get; }

    /// <summary>Next-token training sequences of games [first, first + count), with <paramref name="targets"/> (legal-moves or sampled).</summary>
    TokenSequences TrainingSequences(long first, int count, string targets);

    /// <summary>Games [first, first + count) ready for evaluation, labelled with the configuration's BSPs.</summary>
    GamePositions Positions(long first, int count);

    /// <summary>The model inputs of games [first, first + count), one row of <c>Width</c> tokens each, and per game the positions that are samples.</summary>
    (long[] Tokens, int Width, IReadOnlyList<int[]> Positions) Samples(long first, int count);

    /// <summary>The model's held-out loss on games [first, first + count) and, where the game defines it, its legal-move rate.</summary>
    LegalMoveRateResult Measure(GptModel model, long first, int count, CancellationToken cancellationToken);
}
