using System.Numerics;
using System.Runtime.CompilerServices;
using static Sae.Games.Chess.ChessBitboards;

namespace Sae.Games.Chess;

/// <summary>
/// A chess position on bitboards: the pieces, the side to move, castling rights, the en passant
/// square, the halfmove clock and fullmove number, and a Zobrist key. Immutable to its users:
/// <see cref="Play(ChessMove)"/> returns the next position (copy-make; about 100 bytes).
/// The en passant square is kept only when an en passant capture is legal, as in the FEN that
/// lichess and python-chess write by default, so equal positions for the repetition rule have
/// equal keys.
/// </summary>
public struct ChessPosition : IEquatable<ChessPosition>
{
    private const int NoSquare = -1;

    private PieceBoards _byType;
    private ulong _white;
    private ulong _black;
    private ChessColor _toMove;
    private CastlingRights _castling;
    private sbyte _enPassant;
    private ushort _halfmoveClock;
    private int _fullmoveNumber;
    private ulong _key;

    /// <summary>The start position of standard chess, White to move.</summary>
    public static ChessPosition Initial { get; } = ChessFen.Parse(ChessFen.InitialFen);

    /// <summary>Reads a position from FEN (see <see cref="ChessFen.Parse"/>).</summary>
    /// <exception cref="FenFormatException">The FEN is malformed; the message names the field.</exception>
    public static ChessPosition FromFen(string fen) => ChessFen.Parse(fen);

    /// <summary>The position as FEN (see <see cref="ChessFen.Write"/>).</summary>
    public readonly string ToFen() => ChessFen.Write(this);

    /// <summary>The side to move.</summary>
    public readonly ChessColor ToMove => _toMove;

    /// <summary>The castling rights that remain.</summary>
    public readonly CastlingRights Castling => _castling;

    /// <summary>The square a pawn may capture en passant on, or null when no such capture is legal.</summary>
    public readonly Square? EnPassantSquare => _enPassant == NoSquare ? null : new Square(_enPassant);

    /// <summary>Halfmoves since the last capture or pawn move (the fifty-move rule counts these).</summary>
    public readonly int HalfmoveClock => _halfmoveClock;

    /// <summary>The number of the full move, starting at 1 and incremented after Black moves.</summary>
    public readonly int FullmoveNumber => _fullmoveNumber;

    /// <summary>The Zobrist key: equal for positions equal under the repetition rule (pieces, side to move, castling rights, legal en passant).</summary>
    public readonly ulong Key => _key;

    /// <summary>Every occupied square.</summary>
    public readonly ulong Occupied => _white | _black;

    /// <summary>The squares of every piece of <paramref name="color"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly ulong PiecesOf(ChessColor color) => color == ChessColor.White ? _white : _black;

    /// <summary>The squares of every piece of <paramref name="type"/>, both colours.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly ulong PiecesOf(PieceType type) => _byType[(int)type];

    /// <summary>The squares of the <paramref name="type"/> pieces of <paramref name="color"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly ulong PiecesOf(ChessColor color, PieceType type) => _byType[(int)type] & PiecesOf(color);

    /// <summary>The square of <paramref name="color"/>'s king.</summary>
    /// <exception cref="InvalidOperationException">The position has no king of that colour: it is <c>default</c>, not made from a FEN.</exception>
    public readonly Square KingSquare(ChessColor color) => new(KingIndex(color));

    /// <summary>The square index of <paramref name="color"/>'s king; throws rather than index tables out of range when there is none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal readonly int KingIndex(ChessColor color)
    {
        var king = PiecesOf(color, PieceType.King);
        if (king == 0) ThrowNoKing();
        return Lowest(king);
    }

    /// <summary>The piece on <paramref name="square"/>, or null when it is empty.</summary>
    public readonly ChessPiece? this[Square square]
    {
        get
        {
            var type = TypeAt(square.Index);
            return type == PieceType.None ? null : new ChessPiece((_white >> square.Index & 1) != 0 ? ChessColor.White : ChessColor.Black, type);
        }
    }

    /// <summary>The type of the piece on square index <paramref name="square"/> (0..63), or <see cref="PieceType.None"/>.</summary>
    internal readonly PieceType TypeAt(int square)
    {
        var bit = 1UL << square;
        if ((Occupied & bit) == 0) return PieceType.None;
        for (var type = PieceType.Pawn; type < PieceType.King; type++)
            if ((_byType[(int)type] & bit) != 0) return type;
        return PieceType.King;
    }

    /// <summary>The pieces of either colour that attack <paramref name="square"/> when <paramref name="occupied"/> is occupied.</summary>
    public readonly ulong AttackersTo(Square square, ulong occupied) => AttackersTo(square.Index, occupied);

    /// <summary>The pieces of either colour that attack square index <paramref name="square"/> (0..63) when <paramref name="occupied"/> is occupied.</summary>
    internal readonly ulong AttackersTo(int square, ulong occupied) =>
        (PawnAttacks(ChessColor.White, square) & PiecesOf(ChessColor.Black, PieceType.Pawn))
        | (PawnAttacks(ChessColor.Black, square) & PiecesOf(ChessColor.White, PieceType.Pawn))
        | (KnightAttacks(square) & _byType[(int)PieceType.Knight])
        | (KingAttacks(square) & _byType[(int)PieceType.King])
        | (SliderAttacks.RookAttacks(square, occupied) & (_byType[(int)PieceType.Rook] | _byType[(int)PieceType.Queen]))
        | (SliderAttacks.BishopAttacks(square, occupied) & (_byType[(int)PieceType.Bishop] | _byType[(int)PieceType.Queen]));

    /// <summary>Whether a piece of <paramref name="by"/> attacks <paramref name="square"/> (pins do not matter: a pinned piece still attacks).</summary>
    public readonly bool IsAttacked(Square square, ChessColor by) => (AttackersTo(square.Index, Occupied) & PiecesOf(by)) != 0;

    /// <summary>Every square that some piece of <paramref name="by"/> attacks, with <paramref name="occupied"/> as the blockers.</summary>
    public readonly ulong AttackedSquares(ChessColor by, ulong occupied) =>
        PawnAttacksOf(by, PiecesOf(by, PieceType.Pawn)) | NonPawnAttacks(by, occupied);

    /// <summary>The squares attacked by the knights, bishops, rooks, queens and king of <paramref name="by"/>.</summary>
    internal readonly ulong NonPawnAttacks(ChessColor by, ulong occupied)
    {
        var own = PiecesOf(by);
        var attacks = KingAttacks(KingIndex(by));
        for (var b = _byType[(int)PieceType.Knight] & own; b != 0; b &= b - 1) attacks |= KnightAttacks(Lowest(b));
        for (var b = (_byType[(int)PieceType.Bishop] | _byType[(int)PieceType.Queen]) & own; b != 0; b &= b - 1)
            attacks |= SliderAttacks.BishopAttacks(Lowest(b), occupied);
        for (var b = (_byType[(int)PieceType.Rook] | _byType[(int)PieceType.Queen]) & own; b != 0; b &= b - 1)
            attacks |= SliderAttacks.RookAttacks(Lowest(b), occupied);
        return attacks;
    }

    /// <summary>The enemy pieces giving check to the side to move.</summary>
    public readonly ulong Checkers => AttackersTo(KingIndex(_toMove), Occupied) & PiecesOf(_toMove.Opponent());

    /// <summary>Whether the side to move is in check.</summary>
    public readonly bool IsCheck => Checkers != 0;

    /// <summary>The legal moves, written into <paramref name="moves"/> (256 entries always suffice); returns how many.</summary>
    public readonly int LegalMoves(Span<ChessMove> moves) => MoveGenerator.Legal(this, moves);

    /// <summary>The legal moves, in generation order.</summary>
    public readonly ChessMove[] LegalMoves()
    {
        Span<ChessMove> moves = stackalloc ChessMove[MoveGenerator.MaxMoves];
        return moves[..LegalMoves(moves)].ToArray();
    }

    /// <summary>The number of legal moves.</summary>
    public readonly int LegalMoveCount()
    {
        Span<ChessMove> moves = stackalloc ChessMove[MoveGenerator.MaxMoves];
        return LegalMoves(moves);
    }

    /// <summary>Whether the side to move is checkmated.</summary>
    public readonly bool IsCheckmate => IsCheck && LegalMoveCount() == 0;

    /// <summary>Whether the side to move has no legal move and is not in check.</summary>
    public readonly bool IsStalemate => !IsCheck && LegalMoveCount() == 0;

    /// <summary>
    /// Whether neither side can ever mate (FIDE's dead positions that material alone decides): king
    /// against king, king and one minor piece against king, or kings and bishops that all stand on
    /// squares of one colour.
    /// </summary>
    public readonly bool IsInsufficientMaterial
    {
        get
        {
            if ((_byType[(int)PieceType.Pawn] | _byType[(int)PieceType.Rook] | _byType[(int)PieceType.Queen]) != 0) return false;
            var knights = _byType[(int)PieceType.Knight];
            var bishops = _byType[(int)PieceType.Bishop];
            if (BitOperations.PopCount(knights | bishops) <= 1) return true;
            return knights == 0 && ((bishops & LightSquares) == 0 || (bishops & ~LightSquares) == 0);
        }
    }

    /// <summary>
    /// Plays <paramref name="move"/>, which must be one of this position's legal moves.
    /// </summary>
    /// <exception cref="IllegalMoveException">The move is not legal here.</exception>
    public readonly ChessPosition Play(ChessMove move)
    {
        Span<ChessMove> moves = stackalloc ChessMove[MoveGenerator.MaxMoves];
        if (!moves[..LegalMoves(moves)].Contains(move))
            throw new IllegalMoveException(move.Uci, $"not a legal move in {ToFen()}");
        return PlayUnchecked(move);
    }

    /// <summary>Plays a move known to be legal (generated for this position); no check is made.</summary>
    internal readonly ChessPosition PlayUnchecked(ChessMove move)
    {
        var next = this;
        next.Apply(move);
        return next;
    }

    /// <summary>The position with the other side to move and no en passant square (a "null move"); the clocks are unchanged.</summary>
    internal readonly ChessPosition WithTurnPassed()
    {
        var next = this;
        if (next._enPassant != NoSquare) next._key ^= Zobrist.EnPassant(next._enPassant & 7);
        next._enPassant = NoSquare;
        next._toMove = _toMove.Opponent();
        next._key ^= Zobrist.BlackToMove;
        return next;
    }

    private void Apply(ChessMove move)
    {
        int from = move.FromIndex, to = move.ToIndex, kind = move.Kind;
        var us = _toMove;
        var them = us.Opponent();
        var moving = TypeAt(from);
        var captured = kind == ChessMove.EnPassantKind ? PieceType.Pawn : TypeAt(to);

        _key ^= Zobrist.Castling(_castling);
        if (_enPassant != NoSquare) _key ^= Zobrist.EnPassant(_enPassant & 7);
        _enPassant = NoSquare;

        if (captured != PieceType.None)
        {
            var capturedSquare = kind == ChessMove.EnPassantKind ? (us == ChessColor.White ? to - 8 : to + 8) : to;
            Remove(them, captured, capturedSquare);
        }
        Remove(us, moving, from);
        Add(us, move.Promotion == PieceType.None ? moving : move.Promotion, to);
        if (kind == ChessMove.CastlingKind)
        {
            var (rookFrom, rookTo) = to > from ? (to + 1, to - 1) : (to - 2, to + 1);
            Remove(us, PieceType.Rook, rookFrom);
            Add(us, PieceType.Rook, rookTo);
        }

        _castling &= CastlingKept(from) & CastlingKept(to);
        _key ^= Zobrist.Castling(_castling);
        _halfmoveClock = moving == PieceType.Pawn || captured != PieceType.None ? (ushort)0 : (ushort)(_halfmoveClock + 1);
        if (us == ChessColor.Black) _fullmoveNumber++;
        _toMove = them;
        _key ^= Zobrist.BlackToMove;

        if (kind == ChessMove.DoublePush)
            SetEnPassantIfLegal((from + to) >> 1);
    }

    /// <summary>Records <paramref name="square"/> as the en passant square if the side to move has a legal capture onto it.</summary>
    internal void SetEnPassantIfLegal(int square)
    {
        var capturers = PawnAttacks(_toMove.Opponent(), square) & PiecesOf(_toMove, PieceType.Pawn);
        for (; capturers != 0; capturers &= capturers - 1)
        {
            if (!EnPassantIsLegal(Lowest(capturers), square)) continue;
            _enPassant = (sbyte)square;
            _key ^= Zobrist.EnPassant(square & 7);
            return;
        }
    }

    /// <summary>
    /// Whether the side to move's pawn on <paramref name="from"/> may capture en passant onto
    /// <paramref name="target"/>: the king must not be attacked once both pawns have left their
    /// squares, which also catches the rank pin through the two pawns.
    /// </summary>
    internal readonly bool EnPassantIsLegal(int from, int target)
    {
        var us = _toMove;
        var capturedSquare = us == ChessColor.White ? target - 8 : target + 8;
        var occupied = (Occupied ^ (1UL << from) ^ (1UL << capturedSquare)) | 1UL << target;
        var king = KingIndex(us);
        var attackers = AttackersTo(king, occupied) & PiecesOf(us.Opponent()) & ~(1UL << capturedSquare);
        return attackers == 0;
    }

    private static void ThrowNoKing() =>
        throw new InvalidOperationException("The position has no king: a default ChessPosition is empty; start from ChessPosition.Initial or ChessPosition.FromFen.");

    private static CastlingRights CastlingKept(int square) => square switch
    {
        0 => ~CastlingRights.WhiteQueenside,
        4 => ~(CastlingRights.WhiteKingside | CastlingRights.WhiteQueenside),
        7 => ~CastlingRights.WhiteKingside,
        56 => ~CastlingRights.BlackQueenside,
        60 => ~(CastlingRights.BlackKingside | CastlingRights.BlackQueenside),
        63 => ~CastlingRights.BlackKingside,
        _ => CastlingRights.All,
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Add(ChessColor color, PieceType type, int square)
    {
        var bit = 1UL << square;
        _byType[(int)type] |= bit;
        if (color == ChessColor.White) _white |= bit; else _black |= bit;
        _key ^= Zobrist.Piece(color, type, square);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Remove(ChessColor color, PieceType type, int square)
    {
        var bit = ~(1UL << square);
        _byType[(int)type] &= bit;
        if (color == ChessColor.White) _white &= bit; else _black &= bit;
        _key ^= Zobrist.Piece(color, type, square);
    }

    /// <summary>Builds a position from its parts; <see cref="ChessFen"/> validates them first.</summary>
    internal static ChessPosition Create(ReadOnlySpan<ChessPiece?> board, ChessColor toMove, CastlingRights castling, int enPassant, int halfmoveClock, int fullmoveNumber)
    {
        var p = new ChessPosition { _toMove = toMove, _castling = castling, _enPassant = NoSquare, _halfmoveClock = (ushort)halfmoveClock, _fullmoveNumber = fullmoveNumber };
        for (var s = 0; s < 64; s++)
            if (board[s] is { } piece) p.Add(piece.Color, piece.Type, s);
        p._key ^= Zobrist.Castling(castling);
        if (toMove == ChessColor.Black) p._key ^= Zobrist.BlackToMove;
        if (enPassant != NoSquare) p.SetEnPassantIfLegal(enPassant);
        return p;
    }

    /// <inheritdoc />
    public readonly bool Equals(ChessPosition other) =>
        _key == other._key && _white == other._white && _black == other._black
        && ((ReadOnlySpan<ulong>)_byType).SequenceEqual(other._byType)
        && _toMove == other._toMove && _castling == other._castling && _enPassant == other._enPassant
        && _halfmoveClock == other._halfmoveClock && _fullmoveNumber == other._fullmoveNumber;

    /// <inheritdoc />
    public override readonly bool Equals(object? obj) => obj is ChessPosition other && Equals(other);

    /// <inheritdoc />
    public override readonly int GetHashCode() => _key.GetHashCode();

    /// <summary>Whether two positions are equal in every field, clocks included.</summary>
    public static bool operator ==(ChessPosition left, ChessPosition right) => left.Equals(right);

    /// <summary>Whether two positions differ in some field.</summary>
    public static bool operator !=(ChessPosition left, ChessPosition right) => !left.Equals(right);

    /// <inheritdoc />
    public override readonly string ToString() => ToFen();
}
