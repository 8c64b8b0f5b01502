namespace Sae.Games.Othello;

/// <summary>Flipped by the last move, 8x8x1: the discs that the ply turned over.</summary>
public sealed class FlippedProperty : OthelloSquareSetProperty
{
    /// <inheritdoc />
    public override string Name => "flipped";

    /// <inheritdoc />
    public override ulong Squares(in OthelloPly state) => state.Flipped;
}
