using Sae.Games.BoardState;

namespace Sae.Games.Othello;

/// <summary>Flipped by the last move, 8x8x1: the discs that the ply turned over.</summary>
public sealed class FlippedProperty : IBoardStateProperty<OthelloPly>
{
    /// <inheritdoc />
    public string Name => "flipped";

    /// <inheritdoc />
    public BoardStateShape Shape => new(8, 8, 1);

    /// <inheritdoc />
    public int? MaskedChannel => null;

    /// <inheritdoc />
    public void Write(in OthelloPly state, Span<byte> labels) => BoardStateLabels.WriteSquares(state.Flipped, labels, 1, 0);
}
