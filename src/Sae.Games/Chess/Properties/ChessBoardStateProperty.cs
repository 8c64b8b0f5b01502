using Sae.Games.BoardState;

namespace Sae.Games.Chess;

/// <summary>
/// A chess board state property (docs/reference.md §2). Each is defined for either side to move; the
/// reference samples only positions with White to move, where the definitions agree with it.
/// Labelling many plies through <see cref="ChessProperties.Label"/> shares one
/// <see cref="ChessAnalysis"/> per ply among all properties.
/// </summary>
public abstract class ChessBoardStateProperty : IBoardStateProperty<ChessPly>
{
    private protected ChessBoardStateProperty(string name) => Name = name;

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public abstract BoardStateShape Shape { get; }

    /// <inheritdoc />
    public virtual int? MaskedChannel => null;

    /// <inheritdoc />
    public void Write(in ChessPly state, Span<byte> labels)
    {
        var analysis = new ChessAnalysis();
        analysis.Reset(state);
        Write(analysis, labels);
    }

    /// <summary>Writes every label of the analysed position (<see cref="BoardStateShape.Size"/> bytes, each 0 or 1).</summary>
    public abstract void Write(ChessAnalysis analysis, Span<byte> labels);

    /// <summary>
    /// The value per square for an 8x8 property (its class for a one-hot one, −1 where every
    /// channel is masked), or the single value of a board-level one: what <c>sae chess bsp</c> prints.
    /// </summary>
    public int[] Values(ChessAnalysis analysis)
    {
        var shape = Shape;
        Span<byte> labels = stackalloc byte[shape.Size];
        Write(analysis, labels);
        var values = new int[shape.Rows * shape.Columns];
        for (var s = 0; s < values.Length; s++)
        {
            var cell = labels.Slice(s * shape.Channels, shape.Channels);
            values[s] = shape.Channels == 1 ? cell[0] : cell.IndexOf((byte)1);
        }
        return values;
    }
}
