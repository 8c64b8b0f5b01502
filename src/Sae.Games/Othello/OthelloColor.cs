namespace Sae.Games.Othello;

/// <summary>The two Othello players. Black moves first.</summary>
public enum OthelloColor : byte
{
    /// <summary>The first player; the reference stores black discs as +1.</summary>
    Black = 0,

    /// <summary>The second player; the reference stores white discs as −1.</summary>
    White = 1,
}

/// <summary>Helpers for <see cref="OthelloColor"/>.</summary>
public static class OthelloColorExtensions
{
    /// <summary>The other player.</summary>
    public static OthelloColor Opponent(this OthelloColor color) => color ^ OthelloColor.White;
}
