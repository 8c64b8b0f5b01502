using Sae.Games.BoardState;

namespace Sae.Games.Chess;

/// <summary>
/// The colour on every square, 8x8x3 one-hot (the reference's <c>board_to_piece_color_state</c>,
/// values −1..1): class 0 = a black piece, 1 = empty, 2 = a white piece. Absolute colours.
/// </summary>
public sealed class PieceColorProperty : ChessBoardStateProperty
{
    /// <summary>Creates the property.</summary>
    public PieceColorProperty()
        : base("piece_color")
    {
    }

    /// <inheritdoc />
    public override BoardStateShape Shape => new(8, 8, 3);

    /// <inheritdoc />
    public override void Write(ChessAnalysis analysis, Span<byte> labels)
    {
        var position = analysis.Position;
        BoardStateLabels.WriteSquares(position.PiecesOf(ChessColor.Black), labels, 3, 0);
        BoardStateLabels.WriteSquares(~position.Occupied, labels, 3, 1);
        BoardStateLabels.WriteSquares(position.PiecesOf(ChessColor.White), labels, 3, 2);
    }
}
