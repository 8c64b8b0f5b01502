using Sae.Games.BoardState;

namespace Sae.Games.Chess;

/// <summary>A binary 8x8x1 property: one set of squares per position, such as the attacked squares.</summary>
public sealed class ChessSquareSetProperty : ChessBoardStateProperty
{
    private readonly Func<ChessAnalysis, ulong> _squares;

    /// <summary>Creates the property called <paramref name="name"/> labelling the squares <paramref name="squares"/> gives (bit i = square index i).</summary>
    public ChessSquareSetProperty(string name, Func<ChessAnalysis, ulong> squares)
        : base(name) => _squares = squares;

    /// <inheritdoc />
    public override BoardStateShape Shape => new(8, 8, 1);

    /// <summary>The labelled squares of the analysed position, one bit per square index.</summary>
    public ulong Squares(ChessAnalysis analysis) => _squares(analysis);

    /// <inheritdoc />
    public override void Write(ChessAnalysis analysis, Span<byte> labels) => BoardStateLabels.WriteSquares(_squares(analysis), labels, 1, 0);
}
