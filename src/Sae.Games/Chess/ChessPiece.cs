namespace Sae.Games.Chess;

/// <summary>A piece: its colour and type.</summary>
/// <param name="Color">Whose piece.</param>
/// <param name="Type">What piece (never <see cref="PieceType.None"/>).</param>
public readonly record struct ChessPiece(ChessColor Color, PieceType Type)
{
    /// <summary>The reference's value: the type's number (pawn 1 … king 6), negative for Black.</summary>
    public int ReferenceValue => Color == ChessColor.White ? (int)Type : -(int)Type;

    /// <summary>The FEN letter: upper case for White (<c>PNBRQK</c>), lower case for Black.</summary>
    public char FenLetter => Color == ChessColor.White ? "?PNBRQK"[(int)Type] : "?pnbrqk"[(int)Type];
}
