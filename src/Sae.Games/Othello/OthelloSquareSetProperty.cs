using Sae.Games.BoardState;

namespace Sae.Games.Othello;

/// <summary>A binary 8x8x1 property: one set of squares per ply, such as the legal moves or the flipped discs.</summary>
public abstract class OthelloSquareSetProperty : IBoardStateProperty<OthelloPly>
{
    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public BoardStateShape Shape => new(8, 8, 1);

    /// <inheritdoc />
    public int? MaskedChannel => null;

    /// <summary>The squares labelled 1 after <paramref name="state"/>, one bit per square index.</summary>
    public abstract ulong Squares(in OthelloPly state);

    /// <inheritdoc />
    public void Write(in OthelloPly state, Span<byte> labels) => BoardStateLabels.WriteSquares(Squares(state), labels, 1, 0);
}
