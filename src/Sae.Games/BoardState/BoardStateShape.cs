namespace Sae.Games.BoardState;

/// <summary>
/// The shape R x R x C of a board state property's labels: <see cref="Rows"/> x
/// <see cref="Columns"/> squares (8 x 8, or 1 x 1 for a board-level property) and
/// <see cref="Channels"/> classes per square. Labels are flattened as
/// (row · Columns + column) · Channels + channel, so the element of square index i and channel c of
/// an 8 x 8 property is i · C + c.
/// </summary>
/// <param name="Rows">Rows of squares (8, or 1 for a board-level property).</param>
/// <param name="Columns">Columns of squares (8, or 1).</param>
/// <param name="Channels">Classes per square: the number of values of a one-hot property, 1 for a binary one.</param>
public readonly record struct BoardStateShape(int Rows, int Columns, int Channels)
{
    /// <summary>The number of label elements, R · R · C.</summary>
    public int Size => Rows * Columns * Channels;

    /// <summary>The flat index of (<paramref name="row"/>, <paramref name="column"/>, <paramref name="channel"/>).</summary>
    public int IndexOf(int row, int column, int channel) => (row * Columns + column) * Channels + channel;

    /// <inheritdoc />
    public override string ToString() => $"{Rows}x{Columns}x{Channels}";
}
