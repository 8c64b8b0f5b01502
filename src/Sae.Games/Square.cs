namespace Sae.Games;

/// <summary>
/// A square of an 8x8 board. Index = 8·(rank − 1) + file index, so a1 = 0, h1 = 7, a2 = 8, h8 = 63;
/// the name is the file letter a–h followed by the rank digit 1–8. Othello and chess share this
/// numbering, which is also the reference's row·8 + column with row = rank − 1.
/// </summary>
public readonly record struct Square
{
    private const string Files = "abcdefgh";

    /// <summary>Creates the square with index 0..63.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside 0..63.</exception>
    public Square(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, 63);
        Index = index;
    }

    /// <summary>The index 0..63 (8·row + column).</summary>
    public int Index { get; }

    /// <summary>The file (column) 0..7, a = 0.</summary>
    public int File => Index & 7;

    /// <summary>The row 0..7, rank 1 = 0.</summary>
    public int Row => Index >> 3;

    /// <summary>The name, e.g. <c>e4</c>.</summary>
    public string Name => $"{Files[File]}{Row + 1}";

    /// <summary>The square at <paramref name="file"/> (0..7) and <paramref name="row"/> (0..7).</summary>
    public static Square At(int file, int row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(file);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(file, 7);
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(row, 7);
        return new Square(8 * row + file);
    }

    /// <summary>Parses a name such as <c>e4</c> (the file letter may be upper case).</summary>
    /// <exception cref="FormatException">The text is not a file letter a–h followed by a rank digit 1–8.</exception>
    public static Square Parse(ReadOnlySpan<char> name) =>
        TryParse(name, out var square)
            ? square
            : throw new FormatException($"'{name}' is not a square name (a file letter a-h followed by a rank 1-8, e.g. e4).");

    /// <summary>Parses a name such as <c>e4</c>; false when the text is not a square name.</summary>
    public static bool TryParse(ReadOnlySpan<char> name, out Square square)
    {
        square = default;
        if (name.Length != 2) return false;
        var file = char.ToLowerInvariant(name[0]) - 'a';
        var row = name[1] - '1';
        if ((uint)file > 7 || (uint)row > 7) return false;
        square = new Square(8 * row + file);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
