using System.Numerics;
using static Sae.Games.Chess.ChessBitboards;

namespace Sae.Games.Chess;

/// <summary>
/// What several properties need of one position, computed once and on demand: the legal moves,
/// the pinned pieces, whether some move checks or mates. One instance is reset for every ply, so
/// labelling a game with all properties costs one analysis per ply. Not thread-safe: use one
/// instance per thread.
/// </summary>
public sealed class ChessAnalysis
{
    private readonly ChessMove[] _legal = new ChessMove[MoveGenerator.MaxMoves];
    private int _legalCount = -1;
    private ulong _pinnedWhite, _pinnedBlack;
    private bool _pinsKnown;
    private int _checkScan; // 0 unknown, then bit 1 set when known: bit 2 "can check", bit 4 "can mate"

    /// <summary>The ply being analysed.</summary>
    public ChessPly Ply { get; private set; }

    /// <summary>The position being analysed.</summary>
    public ChessPosition Position => Ply.Position;

    /// <summary>Starts over with <paramref name="ply"/>.</summary>
    public void Reset(in ChessPly ply)
    {
        Ply = ply;
        _legalCount = -1;
        _pinsKnown = false;
        _checkScan = 0;
    }

    /// <summary>The legal moves of the side to move.</summary>
    public ReadOnlySpan<ChessMove> LegalMoves
    {
        get
        {
            if (_legalCount < 0) _legalCount = Position.LegalMoves(_legal);
            return _legal.AsSpan(0, _legalCount);
        }
    }

    /// <summary>The pieces of <paramref name="color"/> absolutely pinned to their own king by an enemy slider.</summary>
    public ulong Pinned(ChessColor color)
    {
        if (!_pinsKnown)
        {
            var p = Position;
            var occupied = p.Occupied;
            _pinnedWhite = MoveGenerator.Pinned(p, p.KingIndex(ChessColor.White), p.PiecesOf(ChessColor.White), p.PiecesOf(ChessColor.Black), occupied);
            _pinnedBlack = MoveGenerator.Pinned(p, p.KingIndex(ChessColor.Black), p.PiecesOf(ChessColor.Black), p.PiecesOf(ChessColor.White), occupied);
            _pinsKnown = true;
        }
        return color == ChessColor.White ? _pinnedWhite : _pinnedBlack;
    }

    /// <summary>Whether some legal move of the side to move gives check.</summary>
    public bool CanCheck => (CheckScan() & 2) != 0;

    /// <summary>Whether some legal move of the side to move checkmates.</summary>
    public bool CanMate => (CheckScan() & 4) != 0;

    /// <summary>The squares attacked by the piece on <paramref name="square"/> (python-chess's <c>attacks</c>: pawns attack diagonally forward).</summary>
    internal ulong AttacksFrom(int square)
    {
        var p = Position;
        var occupied = p.Occupied;
        return p.TypeAt(square) switch
        {
            PieceType.Pawn => PawnAttacks((p.PiecesOf(ChessColor.White) >> square & 1) != 0 ? ChessColor.White : ChessColor.Black, square),
            PieceType.Knight => KnightAttacks(square),
            PieceType.Bishop => SliderAttacks.BishopAttacks(square, occupied),
            PieceType.Rook => SliderAttacks.RookAttacks(square, occupied),
            PieceType.Queen => SliderAttacks.BishopAttacks(square, occupied) | SliderAttacks.RookAttacks(square, occupied),
            PieceType.King => KingAttacks(square),
            _ => 0,
        };
    }

    /// <summary>The destination squares of the side to move's legal moves.</summary>
    public ulong LegalDestinations()
    {
        ulong squares = 0;
        foreach (var move in LegalMoves) squares |= 1UL << move.ToIndex;
        return squares;
    }

    /// <summary>Whether some legal move of the side to move captures a piece on one of <paramref name="targets"/>, which should hold enemy pieces.</summary>
    public bool CanCaptureOn(ulong targets)
    {
        foreach (var move in LegalMoves)
            if ((targets >> move.ToIndex & 1) != 0) return true;
        return false;
    }

    /// <summary>The number of enemy pieces of <paramref name="targets"/> types that <paramref name="square"/>'s piece attacks.</summary>
    internal int TargetsAttacked(int square, ulong targets) => BitOperations.PopCount(AttacksFrom(square) & targets);

    private int CheckScan()
    {
        if (_checkScan != 0) return _checkScan;
        var scan = 1;
        var p = Position;
        foreach (var move in LegalMoves)
        {
            var next = p.PlayUnchecked(move);
            if (!next.IsCheck) continue;
            scan |= 2;
            if (next.LegalMoveCount() != 0) continue;
            scan |= 4;
            break;
        }
        return _checkScan = scan;
    }
}
