namespace Sae.Games.Chess;

/// <summary>
/// Perft: the number of leaf nodes of the legal move tree to a fixed depth, the standard check of
/// a move generator (the counts of well-known positions are published). The last ply is counted in
/// bulk, as the length of the legal move list, without playing its moves.
/// </summary>
public static class Perft
{
    /// <summary>The number of move sequences of exactly <paramref name="depth"/> plies from <paramref name="position"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="depth"/> is negative.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (checked between root moves).</exception>
    public static long Count(in ChessPosition position, int depth, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(depth);
        if (depth <= 1) return depth == 0 ? 1 : position.LegalMoveCount();
        Span<ChessMove> moves = stackalloc ChessMove[MoveGenerator.MaxMoves];
        var n = position.LegalMoves(moves);
        long nodes = 0;
        for (var i = 0; i < n; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            nodes += Nodes(position.PlayUnchecked(moves[i]), depth - 1);
        }
        return nodes;
    }

    private static long Nodes(in ChessPosition position, int depth)
    {
        Span<ChessMove> moves = stackalloc ChessMove[MoveGenerator.MaxMoves];
        var n = position.LegalMoves(moves);
        if (depth == 1) return n;
        long nodes = 0;
        for (var i = 0; i < n; i++)
            nodes += Nodes(position.PlayUnchecked(moves[i]), depth - 1);
        return nodes;
    }
}
