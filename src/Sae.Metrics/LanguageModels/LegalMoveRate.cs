using Sae.Core.LanguageModels;
using Sae.Games.Othello;
using static TorchSharp.torch;

namespace Sae.Metrics.LanguageModels;

/// <summary>
/// How well an OthelloGPT has learnt the rules: at every position of a game that has a next move (the
/// position after moves 1..t, t = 1..59, not a finished game), whether the model's top-1 next token is
/// a legal move there (passes resolved: the legal moves of whoever moves next). Also the mean
/// next-token cross-entropy over the same games.
/// </summary>
public static class LegalMoveRate
{
    /// <summary>Measures <paramref name="model"/> on <paramref name="games"/> in batches of <paramref name="batchSize"/> games.</summary>
    public static LegalMoveRateResult Measure(GptModel model, IReadOnlyList<OthelloGame> games, int batchSize = 256, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (model.Config.VocabularySize != OthelloTokenizer.VocabularySize || model.Config.ContextLength < OthelloTokenizer.ContextLength)
            throw new ArgumentException($"An Othello model needs {OthelloTokenizer.VocabularySize} tokens and a context of at least {OthelloTokenizer.ContextLength}; this one has {model.Config.VocabularySize} and {model.Config.ContextLength}.", nameof(model));
        long legal = 0, positions = 0, scored = 0;
        double lossSum = 0;
        SequenceBatches.ForEach(OthelloSequences.From(games), batchSize, model.Device, cancellationToken, (start, inputs, targets, n) =>
        {
            using var scope = NewDisposeScope(); // holds each temporary through the native call that reads it
            var logits = model.Logits(inputs);
            var loss = nn.functional.cross_entropy(logits.view(-1, logits.shape[2]), targets.reshape(-1), ignore_index: -1, reduction: nn.Reduction.Sum);
            lossSum += loss.item<float>();
            scored += n;
            var best = logits.argmax(2).cpu().data<long>().ToArray();
            var width = (int)inputs.shape[1];
            for (var i = 0; i < inputs.shape[0]; i++)
            {
                var game = games[start + i];
                for (var t = 0; t < Math.Min(game.Length, width); t++)
                {
                    var position = game.Plies[t].Position;
                    if (position.IsGameOver) break;
                    positions++;
                    var token = (int)best[i * width + t];
                    if (token > 0 && (position.LegalMoves >> OthelloTokenizer.ToSquare(token).Index & 1) != 0) legal++;
                }
            }
        });
        return new LegalMoveRateResult(positions == 0 ? double.NaN : (double)legal / positions, positions, scored == 0 ? double.NaN : lossSum / scored);
    }
}
