using System.Numerics;
using System.Runtime.CompilerServices;

namespace Sae.Games.Chess;

/// <summary>
/// Precomputed attack sets of the leaping pieces, and the squares between and on the line through
/// two squares, one bit per square index (a1 = bit 0).
/// </summary>
internal static class ChessBitboards
{
    public const ulong FileA = 0x0101010101010101UL, FileH = FileA << 7;
    public const ulong Rank1 = 0xFFUL, Rank2 = Rank1 << 8, Rank3 = Rank1 << 16, Rank6 = Rank1 << 40, Rank7 = Rank1 << 48;
    public const ulong LightSquares = 0x55AA55AA55AA55AAUL;

    private static readonly ulong[] KnightTable = Leaper([(1, 2), (2, 1), (2, -1), (1, -2), (-1, -2), (-2, -1), (-2, 1), (-1, 2)]);
    private static readonly ulong[] KingTable = Leaper([(1, 0), (1, 1), (0, 1), (-1, 1), (-1, 0), (-1, -1), (0, -1), (1, -1)]);
    private static readonly ulong[] WhitePawnTable = Leaper([(-1, 1), (1, 1)]);
    private static readonly ulong[] BlackPawnTable = Leaper([(-1, -1), (1, -1)]);
    private static readonly ulong[] BetweenTable = new ulong[64 * 64];
    private static readonly ulong[] LineTable = new ulong[64 * 64];

    static ChessBitboards()
    {
        for (var a = 0; a < 64; a++)
        {
            foreach (var (df, dr) in SliderAttacks.Directions)
            {
                ulong between = 0;
                int f = (a & 7) + df, r = (a >> 3) + dr;
                while ((uint)f < 8 && (uint)r < 8)
                {
                    var b = 8 * r + f;
                    BetweenTable[a * 64 + b] = between;
                    LineTable[a * 64 + b] = SliderAttacks.Ray(a, df, dr) | SliderAttacks.Ray(a, -df, -dr) | 1UL << a;
                    between |= 1UL << b;
                    f += df;
                    r += dr;
                }
            }
        }
    }

    public static ulong KnightAttacks(int square) => Unsafe.Add(ref KnightTable[0], square);

    public static ulong KingAttacks(int square) => Unsafe.Add(ref KingTable[0], square);

    /// <summary>The squares a pawn of <paramref name="color"/> on <paramref name="square"/> attacks.</summary>
    public static ulong PawnAttacks(ChessColor color, int square) =>
        color == ChessColor.White ? Unsafe.Add(ref WhitePawnTable[0], square) : Unsafe.Add(ref BlackPawnTable[0], square);

    /// <summary>Every square attacked by the pawns <paramref name="pawns"/> of <paramref name="color"/>.</summary>
    public static ulong PawnAttacksOf(ChessColor color, ulong pawns) =>
        color == ChessColor.White
            ? (pawns & ~FileA) << 7 | (pawns & ~FileH) << 9
            : (pawns & ~FileA) >> 9 | (pawns & ~FileH) >> 7;

    /// <summary>The squares strictly between <paramref name="a"/> and <paramref name="b"/> when they share a line; otherwise none.</summary>
    public static ulong Between(int a, int b) => Unsafe.Add(ref BetweenTable[0], a * 64 + b);

    /// <summary>The whole line (rank, file or diagonal) through <paramref name="a"/> and <paramref name="b"/>, or none when they share none.</summary>
    public static ulong Line(int a, int b) => Unsafe.Add(ref LineTable[0], a * 64 + b);

    /// <summary>The index of the lowest set bit, which <paramref name="bits"/> must have.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Lowest(ulong bits) => BitOperations.TrailingZeroCount(bits);

    private static ulong[] Leaper((int File, int Rank)[] steps)
    {
        var table = new ulong[64];
        for (var s = 0; s < 64; s++)
            foreach (var (df, dr) in steps)
            {
                int f = (s & 7) + df, r = (s >> 3) + dr;
                if ((uint)f < 8 && (uint)r < 8) table[s] |= 1UL << (8 * r + f);
            }
        return table;
    }
}
