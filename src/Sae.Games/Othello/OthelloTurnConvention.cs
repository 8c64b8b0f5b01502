namespace Sae.Games.Othello;

/// <summary>How an Othello property decides which player is "to move" after a ply.</summary>
public enum OthelloTurnConvention
{
    /// <summary>
    /// The reference's convention: the turn alternates with the ply (white to move after even plies),
    /// ignoring passes. The default, so that numbers compare with the paper's.
    /// </summary>
    ReferenceParity,

    /// <summary>The player who actually moves next, passes respected (at the game's end: the opponent of the last mover).</summary>
    SideToMove,
}
