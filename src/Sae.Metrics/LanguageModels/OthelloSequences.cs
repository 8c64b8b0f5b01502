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
    public static TokenSequences From(IReadOnlyList<OthelloGame> games) =>
        new(Encode(games, Length), games.Count, Length, OthelloTokenizer.PadToken);

    /// <summary>
    /// The training sequences of <paramref name="games"/> with each target's legal-move set attached
    /// (<see cref="TokenSequences.HasTargetChoices"/>): the moves of the position after each ply, passes
    /// respected — the exact next-token distribution of synthetic games of uniformly random legal moves.
    /// Training against it reaches a given legal-move rate in far fewer steps than the sampled moves.
    /// </summary>
    public static TokenSequences WithLegalMoveTargets(IReadOnlyList<OthelloGame> games)
    {
        const int width = Length - 1;
        var choices = new ulong[games.Count * width];
        for (var g = 0; g < games.Count; g++)
        {
            var plies = games[g].Plies;
            for (var j = 0; j < Math.Min(plies.Count - 1, width); j++) // a game's last move has no scored target, even if the game was cut short
                choices[g * width + j] = OthelloTokenizer.ToTokenMask(plies[j].Position.LegalMoves);
        }
        return new TokenSequences(Encode(games, Length), games.Count, Length, OthelloTokenizer.PadToken, targetChoices: choices);
    }

    /// <summary>The model inputs of <paramref name="games"/>: [games, 59] token ids, padded with 0.</summary>
    public static long[] Inputs(IReadOnlyList<OthelloGame> games) => Encode(games, OthelloTokenizer.ContextLength);

    /// <summary>Per game, the input positions that hold a move (0..58, fewer for a shorter game): the samples of docs/reference.md §4.</summary>
    public static IReadOnlyList<int[]> MovePositions(IReadOnlyList<OthelloGame> games) =>
        [.. games.Select(g => Enumerable.Range(0, Math.Min(g.Length, OthelloTokenizer.ContextLength)).ToArray())];

    /// <summary>The games' tokens, <paramref name="width"/> per game, padded with 0, row after row.</summary>
    private static long[] Encode(IReadOnlyList<OthelloGame> games, int width)
    {
        var tokens = new long[games.Count * width];
        for (var g = 0; g < games.Count; g++)
        {
            var encoded = OthelloTokenizer.Encode(games[g], width);
            for (var j = 0; j < width; j++) tokens[g * width + j] = encoded[j];
        }
        return tokens;
    }
}
