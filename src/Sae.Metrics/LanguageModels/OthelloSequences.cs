using Sae.Core.LanguageModels;
using Sae.Games.Othello;

namespace Sae.Metrics.LanguageModels;

/// <summary>
/// Othello games as OthelloGPT's training sequences: the 60 move tokens of a game, padded with token 0
/// (whose targets are not scored), so that a model of context 59 reads moves 1..59 and predicts moves 2..60.
/// </summary>
public static class OthelloSequences
{
    /// <summary>Tokens per training sequence: the model's 59 inputs and one more target.</summary>
    public const int Length = OthelloTokenizer.ContextLength + 1;

    /// <summary>The training sequences of <paramref name="games"/>.</summary>
    public static TokenSequences From(IReadOnlyList<OthelloGame> games)
    {
        var tokens = new long[games.Count * Length];
        for (var g = 0; g < games.Count; g++)
        {
            var encoded = OthelloTokenizer.Encode(games[g], Length);
            for (var j = 0; j < Length; j++) tokens[g * Length + j] = encoded[j];
        }
        return new TokenSequences(tokens, games.Count, Length, OthelloTokenizer.PadToken);
    }

    /// <summary>The model inputs of <paramref name="games"/>: [games, 59] token ids, padded with 0.</summary>
    public static long[] Inputs(IReadOnlyList<OthelloGame> games)
    {
        const int width = OthelloTokenizer.ContextLength;
        var tokens = new long[games.Count * width];
        for (var g = 0; g < games.Count; g++)
        {
            var encoded = OthelloTokenizer.Encode(games[g], width);
            for (var j = 0; j < width; j++) tokens[g * width + j] = encoded[j];
        }
        return tokens;
    }

    /// <summary>Per game, the input positions that hold a move (0..58, fewer for a shorter game): the samples of REFERENCE.md §4.</summary>
    public static IReadOnlyList<int[]> MovePositions(IReadOnlyList<OthelloGame> games) =>
        [.. games.Select(g => Enumerable.Range(0, Math.Min(g.Length, OthelloTokenizer.ContextLength)).ToArray())];
}
