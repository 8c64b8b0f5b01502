namespace Sae.Games.Chess;

/// <summary>The two sides of a chess game. White moves first.</summary>
public enum ChessColor : byte
{
    /// <summary>White, whose pawns move towards rank 8.</summary>
    White = 0,

    /// <summary>Black, whose pawns move towards rank 1.</summary>
    Black = 1,
}

/// <summary>Helpers on <see cref="ChessColor"/>.</summary>
public static class ChessColorExtensions
{
    /// <summary>The other side.</summary>
    public static ChessColor Opponent(this ChessColor color) => color ^ ChessColor.Black;
}
