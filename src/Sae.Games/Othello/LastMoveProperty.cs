using Sae.Games.BoardState;

namespace Sae.Games.Othello;

/// <summary>Last move played, 8x8x1: the one square the ply played on.</summary>
public sealed class LastMoveProperty : IBoardStateProperty<OthelloPly>
{
    /// <inheritdoc />
    public string Name => "last_move";

    /// <inheritdoc />
    public BoardStateShape Shape => new(8, 8, 1);

    /// <inheritdoc />
    public int? MaskedChannel => null;

    /// <inheritdoc />
    public void Write(in OthelloPly state, Span<byte> labels) => BoardStateLabels.WriteSquares(1UL << state.Move.Index, labels, 1, 0);
}
