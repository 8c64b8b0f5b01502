namespace Sae.Games.Chess;

/// <summary>
/// A chess move in 16 bits: from-square, to-square and a kind (normal, double pawn push, en
/// passant, castling, or promotion to knight, bishop, rook or queen). Castling is the king's move
/// (e1g1, e1c1, e8g8, e8c8). A move means something only in the position it was made for.
/// </summary>
public readonly record struct ChessMove
{
    internal const int Normal = 0, DoublePush = 1, EnPassantKind = 2, CastlingKind = 3, PromotionBase = 2;

    private readonly ushort _bits;

    internal ChessMove(int from, int to, int kind) => _bits = (ushort)(from | to << 6 | kind << 12);

    /// <summary>The square the piece leaves.</summary>
    public Square From => new(_bits & 63);

    /// <summary>The square the piece arrives on (for castling, the king's destination).</summary>
    public Square To => new(_bits >> 6 & 63);

    /// <summary>The piece a pawn promotes to, or <see cref="PieceType.None"/>.</summary>
    public PieceType Promotion => Kind >= 4 ? (PieceType)(Kind - PromotionBase) : PieceType.None;

    /// <summary>Whether the move is castling (the king moves two squares).</summary>
    public bool IsCastling => Kind == CastlingKind;

    /// <summary>Whether the move is an en passant capture.</summary>
    public bool IsEnPassant => Kind == EnPassantKind;

    internal int FromIndex => _bits & 63;

    internal int ToIndex => _bits >> 6 & 63;

    internal int Kind => _bits >> 12;

    internal static ChessMove Promote(int from, int to, PieceType piece) => new(from, to, (int)piece + PromotionBase);

    /// <summary>The move in UCI long algebraic notation, e.g. <c>e2e4</c>, <c>e7e8q</c>, <c>e1g1</c>.</summary>
    public string Uci => From.Name + To.Name + Promotion switch
    {
        PieceType.Knight => "n",
        PieceType.Bishop => "b",
        PieceType.Rook => "r",
        PieceType.Queen => "q",
        _ => "",
    };

    /// <inheritdoc />
    public override string ToString() => Uci;
}
