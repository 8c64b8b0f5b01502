namespace Sae.Games.Chess;

/// <summary>
/// Games of uniformly random legal moves from the standard start. Game i of a set depends only on
/// (seed, i), so sets are reproducible and can be made in parallel. A game ends when
/// <see cref="ChessGame.Result"/> is decided (mate, stalemate, insufficient material, fifty moves,
/// threefold repetition) or after a maximum number of plies.
/// </summary>
public static class RandomChessGames
{
    /// <summary>Game <paramref name="index"/> of the set made with <paramref name="seed"/>.</summary>
    public static ChessGame Game(ulong seed, long index, int maxPlies = 400)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxPlies);
        var random = new GameRandom(seed, (ulong)index);
        var game = new ChessGame();
        Span<ChessMove> legal = stackalloc ChessMove[MoveGenerator.MaxMoves];
        while (game.Moves.Count < maxPlies && game.Result == "*")
        {
            var n = game.Current.LegalMoves(legal);
            game.Append(legal[random.Below(n)]);
        }
        return game;
    }
}
