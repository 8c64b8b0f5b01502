namespace Sae.Games;

/// <summary>A move that the rules do not allow in the position it was played in.</summary>
public sealed class IllegalMoveException : Exception
{
    /// <summary>Creates the exception for <paramref name="move"/> played in a position outside any game.</summary>
    public IllegalMoveException(string move, string reason)
        : base($"illegal move {move}: {reason}")
    {
        Move = move;
    }

    /// <summary>Creates the exception for <paramref name="move"/> at 1-based <paramref name="ply"/> of a game.</summary>
    public IllegalMoveException(int ply, string move, string reason)
        : base($"ply {ply}: illegal move {move}: {reason}")
    {
        Ply = ply;
        Move = move;
    }

    /// <summary>The 1-based ply of the move within its game; null when the move was not part of a game.</summary>
    public int? Ply { get; }

    /// <summary>The move as it was given.</summary>
    public string Move { get; }
}
