namespace Sae.Games.Chess;

/// <summary>
/// Random 64-bit keys whose XOR identifies a position for repetition: one per (colour, piece type,
/// square), one for Black to move, one per castling-rights set and one per en passant file. Fixed
/// (seeded), so keys are the same in every process.
/// </summary>
internal static class Zobrist
{
    private static readonly ulong[] PieceKeys = new ulong[2 * 7 * 64];
    private static readonly ulong[] CastlingKeys = new ulong[16];
    private static readonly ulong[] EnPassantKeys = new ulong[8];

    /// <summary>XORed in when Black is to move.</summary>
    public static readonly ulong BlackToMove;

    static Zobrist()
    {
        var random = new GameRandom(0x5A0B_C4E5, 0);
        for (var i = 0; i < PieceKeys.Length; i++) PieceKeys[i] = random.NextUInt64();
        for (var i = 1; i < CastlingKeys.Length; i++) CastlingKeys[i] = random.NextUInt64();
        for (var i = 0; i < EnPassantKeys.Length; i++) EnPassantKeys[i] = random.NextUInt64();
        BlackToMove = random.NextUInt64();
    }

    /// <summary>The key of a <paramref name="type"/> of <paramref name="color"/> on <paramref name="square"/>.</summary>
    public static ulong Piece(ChessColor color, PieceType type, int square) => PieceKeys[((int)color * 7 + (int)type) * 64 + square];

    /// <summary>The key of a set of castling rights (zero for none).</summary>
    public static ulong Castling(CastlingRights rights) => CastlingKeys[(int)rights];

    /// <summary>The key of an en passant capture being possible on <paramref name="file"/> (0..7).</summary>
    public static ulong EnPassant(int file) => EnPassantKeys[file];
}
