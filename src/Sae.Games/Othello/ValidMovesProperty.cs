namespace Sae.Games.Othello;

/// <summary>
/// Valid moves, 8x8x1: the squares where the next player may play. The reference
/// (<c>games_batch_to_valid_moves_BLRRC</c>, via <c>get_valid_moves</c>, which falls back to the
/// other player's moves when the player to move must pass) already respects passes, so its behaviour
/// is <see cref="OthelloTurnConvention.SideToMove"/>, the default here. The parity variant lists the
/// moves of the player that ply parity names, which differs after a pass.
/// </summary>
public sealed class ValidMovesProperty : OthelloSquareSetProperty
{
    /// <summary>Creates the property.</summary>
    /// <param name="convention">Whose moves: the actual next player (the reference's behaviour) or the parity player.</param>
    public ValidMovesProperty(OthelloTurnConvention convention = OthelloTurnConvention.SideToMove)
    {
        Convention = convention;
        Name = convention == OthelloTurnConvention.SideToMove ? "valid_moves" : "valid_moves_parity";
    }

    /// <summary>Whose moves are listed.</summary>
    public OthelloTurnConvention Convention { get; }

    /// <inheritdoc />
    public override string Name { get; }

    /// <inheritdoc />
    public override ulong Squares(in OthelloPly state) =>
        Convention == OthelloTurnConvention.SideToMove
            ? state.Position.LegalMoves
            : state.Position.LegalMovesOf(state.ParityMover.Opponent());
}
