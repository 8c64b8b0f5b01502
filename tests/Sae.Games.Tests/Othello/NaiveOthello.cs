using Sae.Games.Othello;

namespace Sae.Games.Tests.Othello;

/// <summary>
/// An independent, deliberately plain Othello: a board array and explicit row/column bounds,
/// walking each of the eight directions square by square. The bitboard engine is checked against it.
/// </summary>
internal static class NaiveOthello
{
    private static readonly (int Row, int Col)[] Directions =
        [(-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1)];

    /// <summary>The discs <paramref name="own"/> flips by playing <paramref name="square"/> (0 if illegal or occupied).</summary>
    public static ulong Flips(ulong own, ulong opponent, int square)
    {
        if (((own | opponent) >> square & 1) != 0) return 0;
        ulong flips = 0;
        foreach (var (dr, dc) in Directions)
        {
            ulong line = 0;
            int r = square / 8 + dr, c = square % 8 + dc;
            while (r is >= 0 and < 8 && c is >= 0 and < 8 && (opponent >> (8 * r + c) & 1) != 0)
            {
                line |= 1UL << (8 * r + c);
                r += dr;
                c += dc;
            }
            if (line != 0 && r is >= 0 and < 8 && c is >= 0 and < 8 && (own >> (8 * r + c) & 1) != 0)
                flips |= line;
        }
        return flips;
    }

    /// <summary>The squares where <paramref name="own"/> may play.</summary>
    public static ulong LegalMoves(ulong own, ulong opponent)
    {
        ulong moves = 0;
        for (var square = 0; square < 64; square++)
            if (Flips(own, opponent, square) != 0) moves |= 1UL << square;
        return moves;
    }

    /// <summary>Who must move after <paramref name="mover"/> moved, or null when neither can.</summary>
    public static OthelloColor? NextToMove(ulong black, ulong white, OthelloColor mover)
    {
        var next = mover == OthelloColor.Black ? OthelloColor.White : OthelloColor.Black;
        ulong Own(OthelloColor c) => c == OthelloColor.Black ? black : white;
        if (LegalMoves(Own(next), Own(mover)) != 0) return next;
        if (LegalMoves(Own(mover), Own(next)) != 0) return mover;
        return null;
    }
}
