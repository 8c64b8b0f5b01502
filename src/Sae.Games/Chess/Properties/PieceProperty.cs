using Sae.Games.BoardState;

namespace Sae.Games.Chess;

/// <summary>
/// The piece on every square, 8x8x13 one-hot (the reference's <c>board_to_piece_state</c>): class
/// = reference value + 6, so 0 = black king, 5 = black pawn, 6 = empty, 7 = white pawn, 12 = white
/// king; row 0 = rank 1, column = file. Optionally the blank class is zeroed ("blank masked"), and
/// also every square whose piece is the one it holds in the start position ("blank and initial
/// masked", the reference's <c>mask_initial_board_states</c>: the paper's chess board-state
/// metric). Colours are absolute, so the definition does not depend on the side to move.
/// </summary>
public sealed class PieceProperty : ChessBoardStateProperty
{
    /// <summary>The class of an empty square.</summary>
    public const int BlankClass = 6;

    private static readonly byte[] InitialClasses = ClassesOf(ChessPosition.Initial);

    /// <summary>Creates the property.</summary>
    /// <param name="blankMasked">Zero the blank class everywhere.</param>
    /// <param name="initialMasked">Also zero every square holding its start-position piece (requires <paramref name="blankMasked"/>, as in the reference).</param>
    public PieceProperty(bool blankMasked = false, bool initialMasked = false)
        : base(initialMasked ? "piece_blank_initial_masked" : blankMasked ? "piece_blank_masked" : "piece")
    {
        if (initialMasked && !blankMasked) throw new ArgumentException("The initial-position mask is defined on top of the blank mask.", nameof(initialMasked));
        BlankMasked = blankMasked;
        InitialMasked = initialMasked;
    }

    /// <summary>Whether the blank class is zeroed.</summary>
    public bool BlankMasked { get; }

    /// <summary>Whether squares holding their start-position piece are zeroed.</summary>
    public bool InitialMasked { get; }

    /// <inheritdoc />
    public override BoardStateShape Shape => new(8, 8, 13);

    /// <inheritdoc />
    public override int? MaskedChannel => BlankMasked ? BlankClass : null;

    /// <inheritdoc />
    public override void Write(ChessAnalysis analysis, Span<byte> labels)
    {
        labels[..(64 * 13)].Clear();
        var position = analysis.Position;
        for (var s = 0; s < 64; s++)
        {
            var c = ClassAt(position, s);
            if ((BlankMasked && c == BlankClass) || (InitialMasked && c == InitialClasses[s])) continue;
            labels[s * 13 + c] = 1;
        }
    }

    private static int ClassAt(in ChessPosition position, int square) => BlankClass + (position[new Square(square)]?.ReferenceValue ?? 0);

    private static byte[] ClassesOf(in ChessPosition position)
    {
        var classes = new byte[64];
        for (var s = 0; s < 64; s++) classes[s] = (byte)ClassAt(position, s);
        return classes;
    }
}
