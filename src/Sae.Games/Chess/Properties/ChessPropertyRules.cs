using System.Numerics;
using static Sae.Games.Chess.ChessBitboards;

namespace Sae.Games.Chess;

/// <summary>The computations behind the chess properties that are more than one expression.</summary>
internal static class ChessPropertyRules
{
    /// <summary>The reference's fork attackers and, for each, the enemy piece types it forks.</summary>
    public static readonly (PieceType Attacker, PieceType[] Targets)[] ForkTable =
    [
        (PieceType.Pawn, [PieceType.Knight, PieceType.Bishop, PieceType.Rook, PieceType.Queen, PieceType.King]),
        (PieceType.Knight, [PieceType.Rook, PieceType.Queen, PieceType.King]),
        (PieceType.Bishop, [PieceType.Rook, PieceType.Queen, PieceType.King]),
        (PieceType.Rook, [PieceType.Queen, PieceType.King]),
    ];

    /// <summary>
    /// The reference's <c>board_to_specific_fork</c> before its commit 5587fbd (2024-06-08): it loops over
    /// the side to move's unpinned <paramref name="attacker"/> pieces in square order, overwriting one
    /// count of attacked enemy pieces of the <paramref name="targets"/> types, and answers from the last
    /// count, so only the last unpinned attacker decides. With no unpinned attacker that code fails (an
    /// unbound variable); here the answer is then false.
    /// </summary>
    public static bool LastAttackerFork(ChessAnalysis a, PieceType attacker, ReadOnlySpan<PieceType> targets)
    {
        var (attackers, targetSquares) = ForkSides(a, attacker, targets);
        var last = 0;
        for (; attackers != 0; attackers &= attackers - 1)
            last = a.TargetsAttacked(Lowest(attackers), targetSquares);
        return last >= 2;
    }

    /// <summary>
    /// The reference's <c>board_to_specific_fork</c> since its commit 5587fbd (2024-06-08), which produced
    /// the paper's saved results (the count starts at zero before the loop): the enemy pieces of the
    /// <paramref name="targets"/> types attacked by all the side to move's unpinned
    /// <paramref name="attacker"/> pieces together, two or more; so two knights each attacking one rook,
    /// or both attacking the queen, count as a fork.
    /// </summary>
    public static bool SummedFork(ChessAnalysis a, PieceType attacker, ReadOnlySpan<PieceType> targets)
    {
        var (attackers, targetSquares) = ForkSides(a, attacker, targets);
        var total = 0;
        for (; attackers != 0; attackers &= attackers - 1)
            total += a.TargetsAttacked(Lowest(attackers), targetSquares);
        return total >= 2;
    }

    /// <summary>Whether any unpinned <paramref name="attacker"/> of the side to move attacks two or more enemy pieces of the <paramref name="targets"/> types.</summary>
    public static bool AnyAttackerForks(ChessAnalysis a, PieceType attacker, ReadOnlySpan<PieceType> targets)
    {
        var (attackers, targetSquares) = ForkSides(a, attacker, targets);
        for (; attackers != 0; attackers &= attackers - 1)
            if (a.TargetsAttacked(Lowest(attackers), targetSquares) >= 2) return true;
        return false;
    }

    /// <summary>A fork rule: the analysis, the attacker type, the target types.</summary>
    public delegate bool ForkRule(ChessAnalysis a, PieceType attacker, ReadOnlySpan<PieceType> targets);

    /// <summary>The reference's <c>board_to_any_fork</c> (perspective "mine"): some attacker type and one single target type for which <paramref name="rule"/> holds.</summary>
    public static bool AnyForkOfSingleTargets(ChessAnalysis a, ForkRule rule)
    {
        foreach (var (attacker, targets) in ForkTable)
            for (var t = 0; t < targets.Length; t++)
                if (rule(a, attacker, targets.AsSpan(t, 1))) return true;
        return false;
    }

    /// <summary>Some unpinned attacker of the side to move attacks two or more enemy pieces among all its target types together.</summary>
    public static bool AnyForkMixedTargets(ChessAnalysis a)
    {
        foreach (var (attacker, targets) in ForkTable)
            if (AnyAttackerForks(a, attacker, targets)) return true;
        return false;
    }

    /// <summary>
    /// python-chess's <c>can_claim_draw</c>: fifty moves (the clock at 100 or more and a legal move
    /// left, or at 99 and a move that is neither a capture nor a pawn move reaching such a
    /// position) or threefold repetition (from the game's history in <see cref="ChessPly"/>).
    /// </summary>
    public static bool CanClaimDraw(ChessAnalysis a)
    {
        if (a.Ply.CanClaimThreefold) return true;
        var p = a.Position;
        if (p.HalfmoveClock >= 100) return a.LegalMoves.Length > 0;
        if (p.HalfmoveClock < 99) return false;
        foreach (var move in a.LegalMoves)
        {
            var next = p.PlayUnchecked(move);
            if (next.HalfmoveClock >= 100 && next.LegalMoveCount() > 0) return true;
        }
        return false;
    }

    /// <summary>
    /// The reference's <c>board_to_ambiguous_moves</c>: two or more of the side to move's pieces of
    /// one type (pawns included) have a legal move to one square. With
    /// <paramref name="piecesOnly"/>, pawns are left out: exactly the moves whose SAN names the origin.
    /// </summary>
    public static bool Ambiguous(ChessAnalysis a, bool piecesOnly)
    {
        Span<sbyte> firstFrom = stackalloc sbyte[7 * 64];
        firstFrom.Fill(-1);
        var p = a.Position;
        foreach (var move in a.LegalMoves)
        {
            var type = p.TypeAt(move.FromIndex);
            if (piecesOnly && type == PieceType.Pawn) continue;
            ref var first = ref firstFrom[(int)type * 64 + move.ToIndex];
            if (first < 0) first = (sbyte)move.FromIndex;
            else if (first != move.FromIndex) return true;
        }
        return false;
    }

    /// <summary>The side to move has two rooks on one rank or file with no piece between them.</summary>
    public static bool ConnectedRooks(in ChessPosition p)
    {
        var rooks = p.PiecesOf(p.ToMove, PieceType.Rook);
        for (var a = rooks; a != 0; a &= a - 1)
            for (var b = a & (a - 1); b != 0; b &= b - 1)
            {
                int x = Lowest(a), y = Lowest(b);
                if (((x ^ y) & 7) != 0 && (x >> 3) != (y >> 3)) continue;
                if ((Between(x, y) & p.Occupied) == 0) return true;
            }
        return false;
    }

    /// <summary>
    /// The reference's <c>board_to_can_capture_queen</c>: it finds one enemy queen, the first of
    /// python-chess's <c>piece_map</c>, which lists squares from h8 down to a1, so the queen on the
    /// highest square; then whether a legal move captures on its square.
    /// </summary>
    public static bool CanCaptureFirstQueen(ChessAnalysis a)
    {
        var queens = a.Position.PiecesOf(a.Position.ToMove.Opponent(), PieceType.Queen);
        return queens != 0 && a.CanCaptureOn(1UL << (63 - BitOperations.LeadingZeroCount(queens)));
    }

    /// <summary>
    /// With the turn passed to the opponent (a null move; no en passant), whether the opponent has
    /// a move that checkmates. False when the side to move is in check, where passing is not legal.
    /// </summary>
    public static bool OpponentCanMate(ChessAnalysis a)
    {
        var p = a.Position;
        if (p.IsCheck) return false;
        var passed = new ChessAnalysis();
        passed.Reset(new ChessPly(p.WithTurnPassed()));
        return passed.CanMate;
    }

    private static (ulong Attackers, ulong Targets) ForkSides(ChessAnalysis a, PieceType attacker, ReadOnlySpan<PieceType> targets)
    {
        var p = a.Position;
        var us = p.ToMove;
        ulong targetSquares = 0;
        foreach (var t in targets) targetSquares |= p.PiecesOf(us.Opponent(), t);
        return (p.PiecesOf(us, attacker) & ~a.Pinned(us), targetSquares);
    }
}
