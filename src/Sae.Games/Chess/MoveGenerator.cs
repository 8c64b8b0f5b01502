using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static Sae.Games.Chess.ChessBitboards;

namespace Sae.Games.Chess;

/// <summary>
/// Legal move generation without trying moves: the king avoids every attacked square (computed
/// with the king itself removed, so it cannot step back along a checking ray); other pieces move
/// only onto the check mask (the checker and the squares between it and the king; everything when
/// not in check; nothing in double check); an absolutely pinned piece stays on the line through its
/// king and its pinner. En passant, rare and subtle (a rank pin through both pawns), is verified
/// by removing both pawns and looking for attackers of the king.
/// </summary>
internal static class MoveGenerator
{
    /// <summary>Enough room for the moves of any legal position (the known maximum is 218).</summary>
    public const int MaxMoves = 256;

    private const ulong WhiteKingsidePath = 0x60UL, WhiteQueensidePath = 0x0EUL, WhiteQueensideSafe = 0x0CUL;

    public static int Legal(in ChessPosition p, Span<ChessMove> moves)
    {
        ref var list = ref MemoryMarshal.GetReference(moves);
        var n = 0;
        var us = p.ToMove;
        var them = us.Opponent();
        var own = p.PiecesOf(us);
        var enemy = p.PiecesOf(them);
        var occupied = own | enemy;
        var king = p.KingIndex(us);
        var checkers = p.AttackersTo(king, occupied) & enemy;
        var danger = p.AttackedSquares(them, occupied ^ (1UL << king));

        for (var to = KingAttacks(king) & ~own & ~danger; to != 0; to &= to - 1)
            Unsafe.Add(ref list, n++) = new ChessMove(king, Lowest(to), ChessMove.Normal);
        if ((checkers & (checkers - 1)) != 0) return n;

        var target = ~own;
        if (checkers != 0) target &= Between(king, Lowest(checkers)) | checkers;
        else n = Castlings(p, us, occupied, danger, ref list, n);

        var pinned = Pinned(p, king, own, enemy, occupied);
        var queens = p.PiecesOf(PieceType.Queen);
        for (var b = p.PiecesOf(PieceType.Knight) & own & ~pinned; b != 0; b &= b - 1)
        {
            var from = Lowest(b);
            n = AddAll(from, KnightAttacks(from) & target, ref list, n);
        }
        for (var b = (p.PiecesOf(PieceType.Bishop) | queens) & own; b != 0; b &= b - 1)
        {
            var from = Lowest(b);
            var to = SliderAttacks.BishopAttacks(from, occupied) & target;
            if ((pinned >> from & 1) != 0) to &= Line(king, from);
            n = AddAll(from, to, ref list, n);
        }
        for (var b = (p.PiecesOf(PieceType.Rook) | queens) & own; b != 0; b &= b - 1)
        {
            var from = Lowest(b);
            var to = SliderAttacks.RookAttacks(from, occupied) & target;
            if ((pinned >> from & 1) != 0) to &= Line(king, from);
            n = AddAll(from, to, ref list, n);
        }

        var empty = ~occupied;
        var up = us == ChessColor.White ? 8 : -8;
        var startRank = us == ChessColor.White ? Rank2 : Rank7;
        var enPassant = p.EnPassantSquare is { } ep ? ep.Index : -1;
        for (var b = p.PiecesOf(PieceType.Pawn) & own; b != 0; b &= b - 1)
        {
            var from = Lowest(b);
            var allowed = (pinned >> from & 1) != 0 ? target & Line(king, from) : target;
            var one = from + up;
            if ((empty >> one & 1) != 0)
            {
                if ((allowed >> one & 1) != 0) n = AddPawn(from, one, ref list, n);
                var two = one + up;
                if ((startRank >> from & 1) != 0 && (empty >> two & 1) != 0 && (allowed >> two & 1) != 0)
                    Unsafe.Add(ref list, n++) = new ChessMove(from, two, ChessMove.DoublePush);
            }
            var attacks = PawnAttacks(us, from);
            for (var to = attacks & enemy & allowed; to != 0; to &= to - 1)
                n = AddPawn(from, Lowest(to), ref list, n);
            if (enPassant >= 0 && (attacks >> enPassant & 1) != 0 && p.EnPassantIsLegal(from, enPassant))
                Unsafe.Add(ref list, n++) = new ChessMove(from, enPassant, ChessMove.EnPassantKind);
        }
        return n;
    }

    /// <summary>
    /// The squares that the side to move's pieces could move to if its own king's safety did not
    /// matter (python-chess's pseudo-legal moves): every attack not onto an own piece, pawn pushes,
    /// pawn captures, en passant and the legal castlings.
    /// </summary>
    public static ulong PseudoLegalDestinations(in ChessPosition p)
    {
        var us = p.ToMove;
        var own = p.PiecesOf(us);
        var enemy = p.PiecesOf(us.Opponent());
        var occupied = own | enemy;
        var pawns = p.PiecesOf(us, PieceType.Pawn);
        var destinations = (p.NonPawnAttacks(us, occupied) & ~own) | (PawnAttacksOf(us, pawns) & enemy);
        var empty = ~occupied;
        var one = us == ChessColor.White ? pawns << 8 & empty : pawns >> 8 & empty;
        var two = us == ChessColor.White ? (one & Rank3) << 8 & empty : (one & Rank6) >> 8 & empty;
        destinations |= one | two;
        if (p.EnPassantSquare is { } ep && (PawnAttacksOf(us, pawns) >> ep.Index & 1) != 0) destinations |= 1UL << ep.Index;
        if (p.Checkers == 0)
        {
            Span<ChessMove> castlings = stackalloc ChessMove[2];
            var n = Castlings(p, us, occupied, p.AttackedSquares(us.Opponent(), occupied), ref MemoryMarshal.GetReference(castlings), 0);
            for (var i = 0; i < n; i++) destinations |= 1UL << castlings[i].ToIndex;
        }
        return destinations;
    }

    /// <summary>The pieces of <paramref name="own"/> absolutely pinned to their king on <paramref name="king"/> by a bishop, rook or queen of <paramref name="enemy"/>.</summary>
    public static ulong Pinned(in ChessPosition p, int king, ulong own, ulong enemy, ulong occupied)
    {
        var queens = p.PiecesOf(PieceType.Queen);
        var snipers = ((SliderAttacks.RookAttacks(king, enemy) & (p.PiecesOf(PieceType.Rook) | queens))
                       | (SliderAttacks.BishopAttacks(king, enemy) & (p.PiecesOf(PieceType.Bishop) | queens))) & enemy;
        ulong pinned = 0;
        for (; snipers != 0; snipers &= snipers - 1)
        {
            var between = Between(king, Lowest(snipers)) & occupied;
            if (between != 0 && (between & (between - 1)) == 0) pinned |= between & own;
        }
        return pinned;
    }

    private static int Castlings(in ChessPosition p, ChessColor us, ulong occupied, ulong danger, ref ChessMove list, int n)
    {
        var shift = us == ChessColor.White ? 0 : 56;
        var rights = (int)p.Castling >> (us == ChessColor.White ? 0 : 2);
        if ((rights & 1) != 0 && (occupied & WhiteKingsidePath << shift) == 0 && (danger & WhiteKingsidePath << shift) == 0)
            Unsafe.Add(ref list, n++) = new ChessMove(4 + shift, 6 + shift, ChessMove.CastlingKind);
        if ((rights & 2) != 0 && (occupied & WhiteQueensidePath << shift) == 0 && (danger & WhiteQueensideSafe << shift) == 0)
            Unsafe.Add(ref list, n++) = new ChessMove(4 + shift, 2 + shift, ChessMove.CastlingKind);
        return n;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int AddAll(int from, ulong targets, ref ChessMove list, int n)
    {
        for (; targets != 0; targets &= targets - 1)
            Unsafe.Add(ref list, n++) = new ChessMove(from, Lowest(targets), ChessMove.Normal);
        return n;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int AddPawn(int from, int to, ref ChessMove list, int n)
    {
        if ((uint)(to - 8) < 48)
        {
            Unsafe.Add(ref list, n++) = new ChessMove(from, to, ChessMove.Normal);
            return n;
        }
        Unsafe.Add(ref list, n++) = ChessMove.Promote(from, to, PieceType.Queen);
        Unsafe.Add(ref list, n++) = ChessMove.Promote(from, to, PieceType.Rook);
        Unsafe.Add(ref list, n++) = ChessMove.Promote(from, to, PieceType.Bishop);
        Unsafe.Add(ref list, n++) = ChessMove.Promote(from, to, PieceType.Knight);
        return n;
    }
}
