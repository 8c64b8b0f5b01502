using System.Numerics;

namespace Sae.Games.Chess;

/// <summary>
/// The chess board state properties of docs/reference.md §2 (the reference's <c>circuits/chess_utils.py</c>),
/// by name, and variants that correct the reference's quirks. The reference computes them only at
/// positions with White to move; every property here is defined for either side to move ("us" is
/// the side to move, "them" the other), which agrees with the reference whenever White is to move.
/// </summary>
public static class ChessProperties
{
    /// <summary><c>piece</c>: the piece on every square, 8x8x13 (see <see cref="PieceProperty"/>).</summary>
    public static PieceProperty Piece { get; } = new();

    /// <summary><c>piece_blank_masked</c>: <see cref="Piece"/> with the blank class zeroed.</summary>
    public static PieceProperty PieceBlankMasked { get; } = new(blankMasked: true);

    /// <summary><c>piece_blank_initial_masked</c>: blank and start-position pieces zeroed; the paper's chess board-state metric.</summary>
    public static PieceProperty PieceBlankInitialMasked { get; } = new(blankMasked: true, initialMasked: true);

    /// <summary><c>piece_color</c>: black / empty / white on every square, 8x8x3.</summary>
    public static PieceColorProperty PieceColor { get; } = new();

    /// <summary>
    /// <c>threat</c>, 8x8x1: the squares attacked by the side not to move (the reference: by Black;
    /// the same at White to move). Any square counts, occupied or not, and a pinned piece still
    /// attacks (python-chess's <c>is_attacked_by</c>).
    /// </summary>
    public static ChessSquareSetProperty Threat { get; } = new("threat", a =>
        a.Position.AttackedSquares(a.Position.ToMove.Opponent(), a.Position.Occupied));

    /// <summary>
    /// <c>legal_moves</c>, 8x8x1: the destinations of the side to move's legal moves (castling: the
    /// king's destination). The reference lists White's moves only, so at Black to move it gives
    /// no squares at all; here it gives Black's.
    /// </summary>
    public static ChessSquareSetProperty LegalMoves { get; } = new("legal_moves", a => a.LegalDestinations());

    /// <summary>
    /// <c>pseudo_legal_moves</c>, 8x8x1: the destinations of the side to move's pseudo-legal moves
    /// (python-chess's: pieces may leave their king in check; castling is fully checked). One
    /// difference: an en passant capture that is only pseudo-legal (the capturing pawn pinned) is not
    /// counted, because positions keep the en passant square only when the capture is legal.
    /// </summary>
    public static ChessSquareSetProperty PseudoLegalMoves { get; } = new("pseudo_legal_moves", a => MoveGenerator.PseudoLegalDestinations(a.Position));

    /// <summary><c>check</c>: the side to move is in check.</summary>
    public static ChessFlagProperty Check { get; } = new("check", a => a.Position.IsCheck);

    /// <summary><c>pin</c>: some piece of either colour is absolutely pinned to its own king by an enemy bishop, rook or queen.</summary>
    public static ChessFlagProperty Pin { get; } = new("pin", a => (a.Pinned(ChessColor.White) | a.Pinned(ChessColor.Black)) != 0);

    /// <summary>
    /// <c>specific_fork</c>, the reference's <c>board_to_specific_fork</c> with its defaults, as the code
    /// that produced the paper's results computes it: the enemy rooks, queens and king attacked by all the
    /// side to move's unpinned knights together, two or more. Attacks are counted per knight and summed,
    /// so two knights each attacking one rook, or both attacking the queen, are a fork; one knight on king
    /// and queen is one too. <see cref="SpecificForkAnyKnight"/> is the evident intent (one knight, two
    /// targets); <see cref="SpecificForkLastKnight"/> is the reference's earlier rule.
    /// </summary>
    public static ChessFlagProperty SpecificFork { get; } = new("specific_fork", a =>
        ChessPropertyRules.SummedFork(a, PieceType.Knight, KnightTargets));

    /// <summary>
    /// <c>any_fork</c>, the reference's <c>board_to_any_fork</c> (perspective "mine"): for each
    /// attacker type (pawn, knight, bishop, rook) and each <em>single</em> target type of it
    /// (pawn: N, B, R, Q, K; knight and bishop: R, Q, K; rook: Q, K), <see cref="SpecificFork"/>'s
    /// summed rule with that one target type. So one attacker needs two targets of one type (two rooks,
    /// say): a knight attacking king and queen is not a fork here, two knights attacking one queen are.
    /// <see cref="AnyForkMixedTargets"/> is the evident intent; <see cref="AnyForkLastAttacker"/> is the
    /// reference's earlier rule.
    /// </summary>
    public static ChessFlagProperty AnyFork { get; } = new("any_fork", a => ChessPropertyRules.AnyForkOfSingleTargets(a, ChessPropertyRules.SummedFork));

    /// <summary><c>has_castling_rights</c>: the side to move keeps some castling right (not whether castling is legal now).</summary>
    public static ChessFlagProperty HasCastlingRights { get; } = new("has_castling_rights", a =>
        (a.Position.Castling & Rights(a.Position.ToMove, CastlingRights.WhiteKingside | CastlingRights.WhiteQueenside)) != 0);

    /// <summary><c>has_kingside_castling_rights</c>: the side to move keeps the kingside castling right.</summary>
    public static ChessFlagProperty HasKingsideCastlingRights { get; } = new("has_kingside_castling_rights", a =>
        (a.Position.Castling & Rights(a.Position.ToMove, CastlingRights.WhiteKingside)) != 0);

    /// <summary><c>has_queenside_castling_rights</c>: the side to move keeps the queenside castling right.</summary>
    public static ChessFlagProperty HasQueensideCastlingRights { get; } = new("has_queenside_castling_rights", a =>
        (a.Position.Castling & Rights(a.Position.ToMove, CastlingRights.WhiteQueenside)) != 0);

    /// <summary><c>has_legal_en_passant</c>: the side to move has a legal en passant capture.</summary>
    public static ChessFlagProperty HasLegalEnPassant { get; } = new("has_legal_en_passant", a => a.Position.EnPassantSquare is not null);

    /// <summary>
    /// <c>can_claim_draw</c>: python-chess's <c>can_claim_draw</c>, fifty moves or threefold
    /// repetition. Repetition needs the game: a lone position (from a FEN) never claims it.
    /// </summary>
    public static ChessFlagProperty CanClaimDraw { get; } = new("can_claim_draw", ChessPropertyRules.CanClaimDraw);

    /// <summary><c>can_check_next</c>: some legal move of the side to move gives check.</summary>
    public static ChessFlagProperty CanCheckNext { get; } = new("can_check_next", a => a.CanCheck);

    /// <summary><c>has_bishop_pair</c>: the side to move has two or more bishops (the reference does not ask that they stand on squares of both colours).</summary>
    public static ChessFlagProperty HasBishopPair { get; } = new("has_bishop_pair", a =>
        BitOperations.PopCount(a.Position.PiecesOf(a.Position.ToMove, PieceType.Bishop)) >= 2);

    /// <summary>
    /// <c>has_mate_threat</c>, the reference's <c>board_to_has_mate_threat</c>: its docstring asks
    /// whether the opponent could mate if given the move, but it tests the mirrored board
    /// (<c>board.mirror()</c>), which swaps colours <em>and</em> the turn, so the same player moves:
    /// it answers whether the side to move has a mate in one. <see cref="HasMateThreatOpponent"/>
    /// is the evident intent.
    /// </summary>
    public static ChessFlagProperty HasMateThreat { get; } = new("has_mate_threat", a => a.CanMate);

    /// <summary>
    /// <c>can_capture_queen</c>, the reference's <c>board_to_can_capture_queen</c>: a legal move of
    /// the side to move captures the enemy queen; with several enemy queens, only the one on the
    /// highest square (python-chess's <c>piece_map</c> order) is looked at.
    /// <see cref="CanCaptureAnyQueen"/> looks at all.
    /// </summary>
    public static ChessFlagProperty CanCaptureQueen { get; } = new("can_capture_queen", ChessPropertyRules.CanCaptureFirstQueen);

    /// <summary><c>has_queen</c>: the side to move has a queen.</summary>
    public static ChessFlagProperty HasQueen { get; } = new("has_queen", a => a.Position.PiecesOf(a.Position.ToMove, PieceType.Queen) != 0);

    /// <summary><c>has_connected_rooks</c>: the side to move has two rooks on one rank or file with no piece between them.</summary>
    public static ChessFlagProperty HasConnectedRooks { get; } = new("has_connected_rooks", a => ChessPropertyRules.ConnectedRooks(a.Position));

    /// <summary>
    /// <c>ambiguous_moves</c>, the reference's <c>board_to_ambiguous_moves</c>: two or more pieces
    /// of one type of the side to move have legal moves to one square. Pawns count (two pawns that
    /// can capture on one square), although SAN never disambiguates pawn moves beyond their file;
    /// <see cref="AmbiguousSanMoves"/> leaves pawns out.
    /// </summary>
    public static ChessFlagProperty AmbiguousMoves { get; } = new("ambiguous_moves", a => ChessPropertyRules.Ambiguous(a, piecesOnly: false));

    /// <summary><c>specific_fork_any_knight</c>: some unpinned knight of the side to move attacks two or more of the enemy rooks, queens and king.</summary>
    public static ChessFlagProperty SpecificForkAnyKnight { get; } = new("specific_fork_any_knight", a =>
        ChessPropertyRules.AnyAttackerForks(a, PieceType.Knight, KnightTargets));

    /// <summary>
    /// <c>any_fork_mixed_targets</c>: some unpinned pawn, knight, bishop or rook of the side to move
    /// attacks two or more enemy pieces of its target types together (a knight on king and queen).
    /// </summary>
    public static ChessFlagProperty AnyForkMixedTargets { get; } = new("any_fork_mixed_targets", ChessPropertyRules.AnyForkMixedTargets);

    /// <summary>
    /// <c>has_mate_threat_opponent</c>: if the side to move passed, the opponent would have a mate in
    /// one. False when the side to move is in check (passing is not possible there).
    /// </summary>
    public static ChessFlagProperty HasMateThreatOpponent { get; } = new("has_mate_threat_opponent", ChessPropertyRules.OpponentCanMate);

    /// <summary><c>can_capture_any_queen</c>: some legal move of the side to move captures an enemy queen.</summary>
    public static ChessFlagProperty CanCaptureAnyQueen { get; } = new("can_capture_any_queen", a =>
        a.CanCaptureOn(a.Position.PiecesOf(a.Position.ToMove.Opponent(), PieceType.Queen)));

    /// <summary>
    /// <c>specific_fork_last_knight</c>: <see cref="SpecificFork"/> by the reference's rule before its commit
    /// 5587fbd (2024-06-08): the side to move's unpinned knights, in square order a1..h8, each count the
    /// enemy rooks, queens and king they attack, and only the last knight's count decides (two or more), so
    /// a fork by an earlier knight is missed when a later knight forks nothing. No unpinned knight: false
    /// (that code failed there).
    /// </summary>
    public static ChessFlagProperty SpecificForkLastKnight { get; } = new("specific_fork_last_knight", a =>
        ChessPropertyRules.LastAttackerFork(a, PieceType.Knight, KnightTargets));

    /// <summary><c>any_fork_last_attacker</c>: <see cref="AnyFork"/> with the earlier last-attacker rule of <see cref="SpecificForkLastKnight"/>.</summary>
    public static ChessFlagProperty AnyForkLastAttacker { get; } = new("any_fork_last_attacker", a => ChessPropertyRules.AnyForkOfSingleTargets(a, ChessPropertyRules.LastAttackerFork));

    /// <summary><c>ambiguous_san_moves</c>: some legal move's SAN must name its origin (two pieces other than pawns of one type reach one square).</summary>
    public static ChessFlagProperty AmbiguousSanMoves { get; } = new("ambiguous_san_moves", a => ChessPropertyRules.Ambiguous(a, piecesOnly: true));

    /// <summary>The 23 properties of docs/reference.md §2, with the reference's behaviour, in its order.</summary>
    public static IReadOnlyList<ChessBoardStateProperty> Reference { get; } =
    [
        Piece, PieceBlankMasked, PieceBlankInitialMasked, PieceColor,
        Threat, LegalMoves, PseudoLegalMoves,
        Check, Pin, SpecificFork, AnyFork, HasCastlingRights, HasKingsideCastlingRights, HasQueensideCastlingRights,
        HasLegalEnPassant, CanClaimDraw, CanCheckNext, HasBishopPair, HasMateThreat, CanCaptureQueen, HasQueen,
        HasConnectedRooks, AmbiguousMoves,
    ];

    /// <summary>
    /// The variants beside the reference's properties: those that correct a quirk
    /// (<c>specific_fork_any_knight</c>, <c>any_fork_mixed_targets</c>, <c>has_mate_threat_opponent</c>,
    /// <c>can_capture_any_queen</c>, <c>ambiguous_san_moves</c>) and the reference's earlier fork rule
    /// (<c>specific_fork_last_knight</c>, <c>any_fork_last_attacker</c>).
    /// </summary>
    public static IReadOnlyList<ChessBoardStateProperty> Variants { get; } =
        [SpecificForkAnyKnight, AnyForkMixedTargets, HasMateThreatOpponent, CanCaptureAnyQueen, AmbiguousSanMoves, SpecificForkLastKnight, AnyForkLastAttacker];

    /// <summary>The 14 "strategy" properties whose coverage the paper averages.</summary>
    public static IReadOnlyList<ChessBoardStateProperty> Strategy { get; } =
    [
        Threat, LegalMoves, Check, CanCheckNext, HasQueen, CanCaptureQueen, HasBishopPair, HasCastlingRights,
        HasKingsideCastlingRights, HasQueensideCastlingRights, AnyFork, Pin, HasLegalEnPassant, AmbiguousMoves,
    ];

    /// <summary>Every property: <see cref="Reference"/>, then <see cref="Variants"/>.</summary>
    public static IReadOnlyList<ChessBoardStateProperty> All { get; } = [.. Reference, .. Variants];

    /// <summary>
    /// Names that earlier versions gave the reference's fork rule, when it was a variant beside the earlier rule
    /// (<c>specific_fork_summed</c>, <c>any_fork_summed</c>): they still find <see cref="SpecificFork"/> and
    /// <see cref="AnyFork"/>.
    /// </summary>
    private static readonly Dictionary<string, ChessBoardStateProperty> FormerNames = new()
    {
        ["specific_fork_summed"] = SpecificFork,
        ["any_fork_summed"] = AnyFork,
    };

    /// <summary>The property called <paramref name="name"/> (or once called so, see <see cref="SpecificFork"/>).</summary>
    /// <exception cref="KeyNotFoundException">No chess property has that name; the message lists them.</exception>
    public static ChessBoardStateProperty ByName(string name) =>
        All.FirstOrDefault(p => p.Name == name) ?? FormerNames.GetValueOrDefault(name)
        ?? throw new KeyNotFoundException($"No chess board state property is called '{name}'. Known: {string.Join(", ", All.Select(p => p.Name))}.");

    /// <summary>
    /// Labels every ply with every property in one pass (one analysis per ply, shared): one array per
    /// property, [plies, property size] row-major, of 0/1 bytes.
    /// </summary>
    public static byte[][] Label(IReadOnlyList<ChessPly> plies, IReadOnlyList<ChessBoardStateProperty> properties)
    {
        var labels = properties.Select(p => new byte[plies.Count * p.Shape.Size]).ToArray();
        var analysis = new ChessAnalysis();
        for (var i = 0; i < plies.Count; i++)
        {
            analysis.Reset(plies[i]);
            for (var k = 0; k < properties.Count; k++)
            {
                var size = properties[k].Shape.Size;
                properties[k].Write(analysis, labels[k].AsSpan(i * size, size));
            }
        }
        return labels;
    }

    private static readonly PieceType[] KnightTargets = [PieceType.Rook, PieceType.Queen, PieceType.King];

    private static CastlingRights Rights(ChessColor color, CastlingRights white) =>
        color == ChessColor.White ? white : (CastlingRights)((int)white << 2);
}
