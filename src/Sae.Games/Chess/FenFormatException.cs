namespace Sae.Games.Chess;

/// <summary>A FEN string that cannot be read; the message names the field and what was expected.</summary>
public sealed class FenFormatException : FormatException
{
    /// <summary>Creates the exception for <paramref name="fen"/>, whose <paramref name="field"/> was wrong.</summary>
    public FenFormatException(string fen, string field, string problem)
        : base($"malformed FEN '{fen}': {field}: {problem}")
    {
        Fen = fen;
        Field = field;
    }

    /// <summary>The FEN as it was given.</summary>
    public string Fen { get; }

    /// <summary>
    /// The field that was wrong: <c>placement</c>, <c>side to move</c>, <c>castling</c>,
    /// <c>en passant</c>, <c>halfmove clock</c>, <c>fullmove number</c>, or <c>fields</c> for the count.
    /// </summary>
    public string Field { get; }
}
