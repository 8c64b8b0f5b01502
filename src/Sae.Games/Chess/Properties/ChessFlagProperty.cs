using Sae.Games.BoardState;

namespace Sae.Games.Chess;

/// <summary>A board-level binary property, 1x1x1: one yes/no answer per position.</summary>
public sealed class ChessFlagProperty : ChessBoardStateProperty
{
    private readonly Func<ChessAnalysis, bool> _value;

    /// <summary>Creates the property called <paramref name="name"/> whose answer is <paramref name="value"/>.</summary>
    public ChessFlagProperty(string name, Func<ChessAnalysis, bool> value)
        : base(name) => _value = value;

    /// <inheritdoc />
    public override BoardStateShape Shape => new(1, 1, 1);

    /// <summary>The answer for the analysed position.</summary>
    public bool Value(ChessAnalysis analysis) => _value(analysis);

    /// <inheritdoc />
    public override void Write(ChessAnalysis analysis, Span<byte> labels) => labels[0] = _value(analysis) ? (byte)1 : (byte)0;
}
