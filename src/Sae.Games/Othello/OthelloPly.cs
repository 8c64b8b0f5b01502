namespace Sae.Games.Othello;

/// <summary>
/// One move of a game and the position it leads to: what the board state properties label.
/// </summary>
/// <param name="Index">The 0-based ply (token position) of the move within its game.</param>
/// <param name="Move">The square played.</param>
/// <param name="Mover">The player who played it.</param>
/// <param name="Flipped">The discs the move turned over, one bit per square.</param>
/// <param name="Position">The position after the move and after any forced pass.</param>
public readonly record struct OthelloPly(int Index, Square Move, OthelloColor Mover, ulong Flipped, OthelloPosition Position)
{
    /// <summary>
    /// The player the reference treats as having just moved: it alternates with the ply (black on
    /// even plies), ignoring passes. Equals <see cref="Mover"/> until the first pass.
    /// </summary>
    public OthelloColor ParityMover => (Index & 1) == 0 ? OthelloColor.Black : OthelloColor.White;

    /// <summary>Whether the next player to move is the one who just moved, because the other must pass.</summary>
    public bool OpponentPasses => !Position.IsGameOver && Position.ToMove == Mover;
}
