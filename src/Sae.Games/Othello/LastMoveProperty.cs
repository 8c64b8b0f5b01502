namespace Sae.Games.Othello;

/// <summary>Last move played, 8x8x1: the one square the ply played on.</summary>
public sealed class LastMoveProperty : OthelloSquareSetProperty
{
    /// <inheritdoc />
    public override string Name => "last_move";

    /// <inheritdoc />
    public override ulong Squares(in OthelloPly state) => 1UL << state.Move.Index;
}
