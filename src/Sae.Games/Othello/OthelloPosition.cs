using System.Numerics;
using System.Text;

namespace Sae.Games.Othello;

/// <summary>
/// An Othello position: the discs of both players and who must move. Passes are resolved when a
/// position is made: if the player whose turn it would be has no legal move, the turn goes back
/// to the other player, and if neither can move the game is over. Immutable; the legal moves are
/// computed once, when the position is made.
/// </summary>
public readonly struct OthelloPosition : IEquatable<OthelloPosition>
{
    private OthelloPosition(ulong black, ulong white, OthelloColor toMove, ulong legalMoves)
    {
        Black = black;
        White = white;
        ToMove = toMove;
        LegalMoves = legalMoves;
    }

    /// <summary>The start: black on d5 and e4, white on d4 and e5, black to move.</summary>
    public static OthelloPosition Initial { get; } = Resolve((1UL << 28) | (1UL << 35), (1UL << 27) | (1UL << 36), OthelloColor.Black);

    /// <summary>Black's discs, one bit per square index.</summary>
    public ulong Black { get; }

    /// <summary>White's discs, one bit per square index.</summary>
    public ulong White { get; }

    /// <summary>
    /// The player who moves next, after any forced pass. When the game is over it is the opponent of
    /// the player who made the last move (whose turn it would have been).
    /// </summary>
    public OthelloColor ToMove { get; }

    /// <summary>Neither player has a legal move.</summary>
    public bool IsGameOver => LegalMoves == 0;

    /// <summary>The empty squares.</summary>
    public ulong Empty => ~(Black | White);

    /// <summary>The squares where <see cref="ToMove"/> may play (none when the game is over).</summary>
    public ulong LegalMoves { get; }

    /// <summary>The discs of <paramref name="color"/>.</summary>
    public ulong DiscsOf(OthelloColor color) => color == OthelloColor.Black ? Black : White;

    /// <summary>The squares where <paramref name="color"/> could play if it were its turn.</summary>
    public ulong LegalMovesOf(OthelloColor color) => OthelloBitboards.LegalMoves(DiscsOf(color), DiscsOf(color.Opponent()));

    /// <summary>How many discs <paramref name="color"/> has.</summary>
    public int Count(OthelloColor color) => BitOperations.PopCount(DiscsOf(color));

    /// <summary>The colour of the disc on <paramref name="square"/>, or null when it is empty.</summary>
    public OthelloColor? this[Square square] =>
        (Black >> square.Index & 1) != 0 ? OthelloColor.Black
        : (White >> square.Index & 1) != 0 ? OthelloColor.White
        : null;

    /// <summary>The player with more discs, or null for a draw (meaningful once <see cref="IsGameOver"/>).</summary>
    public OthelloColor? Leader =>
        Count(OthelloColor.Black) > Count(OthelloColor.White) ? OthelloColor.Black
        : Count(OthelloColor.White) > Count(OthelloColor.Black) ? OthelloColor.White
        : null;

    /// <summary>
    /// Makes a position from discs and the player whose turn it is, resolving a forced pass or the
    /// end of the game as <see cref="OthelloPosition"/> describes.
    /// </summary>
    /// <exception cref="ArgumentException">A square holds discs of both players.</exception>
    public static OthelloPosition Create(ulong black, ulong white, OthelloColor turn)
    {
        if ((black & white) != 0)
            throw new ArgumentException($"Squares {string.Join(",", SquaresOf(black & white))} hold both a black and a white disc.");
        return Resolve(black, white, turn);
    }

    /// <summary>
    /// Parses 64 characters in square-index order (a1, b1, …, h8): <c>x</c> black, <c>o</c> white,
    /// <c>.</c> empty; white space is ignored. The turn passes as in <see cref="Create"/>.
    /// </summary>
    /// <exception cref="FormatException">Not 64 squares, or a character other than x, o or '.'.</exception>
    public static OthelloPosition Parse(string board, OthelloColor turn)
    {
        ulong black = 0, white = 0;
        var index = 0;
        foreach (var c in board)
        {
            if (char.IsWhiteSpace(c)) continue;
            if (index == 64) throw new FormatException("An Othello board has 64 squares; the text has more.");
            switch (c)
            {
                case 'x' or 'X': black |= 1UL << index; break;
                case 'o' or 'O': white |= 1UL << index; break;
                case '.': break;
                default: throw new FormatException($"Square {new Square(index)}: '{c}' is not x (black), o (white) or '.' (empty).");
            }
            index++;
        }
        if (index != 64) throw new FormatException($"An Othello board has 64 squares; the text has {index}.");
        return Create(black, white, turn);
    }

    /// <summary>Plays <paramref name="square"/> for <see cref="ToMove"/>; false (and no change) if it is not legal.</summary>
    /// <param name="square">The square index 0..63.</param>
    /// <param name="next">The position after the move and any forced pass.</param>
    /// <param name="flipped">The discs the move turned over.</param>
    public bool TryPlay(int square, out OthelloPosition next, out ulong flipped)
    {
        var own = DiscsOf(ToMove);
        var opponent = DiscsOf(ToMove.Opponent());
        flipped = 0;
        next = this;
        if (IsGameOver || (uint)square > 63 || ((own | opponent) >> square & 1) != 0) return false;
        flipped = OthelloBitboards.Flips(own, opponent, square);
        if (flipped == 0) return false;
        own |= flipped | (1UL << square);
        opponent &= ~flipped;
        next = ToMove == OthelloColor.Black
            ? Resolve(own, opponent, OthelloColor.White)
            : Resolve(opponent, own, OthelloColor.Black);
        return true;
    }

    /// <summary>Plays <paramref name="square"/> for <see cref="ToMove"/>.</summary>
    /// <exception cref="IllegalMoveException">The move is not legal here.</exception>
    public OthelloPosition Play(Square square) =>
        TryPlay(square.Index, out var next, out _) ? next : throw new IllegalMoveException(square.Name, WhyIllegal(square.Index));

    /// <summary>Why playing <paramref name="square"/> for <see cref="ToMove"/> is illegal, in words.</summary>
    public string WhyIllegal(int square) =>
        IsGameOver ? "the game is over"
        : ((Black | White) >> square & 1) != 0 ? $"{new Square(square)} is occupied ({Name(ToMove)} to move)"
        : $"it flips no disc ({Name(ToMove)} to move)";

    /// <summary>64 characters in square-index order: <c>x</c> black, <c>o</c> white, <c>.</c> empty.</summary>
    public string ToBoardString()
    {
        var text = new StringBuilder(64);
        for (var i = 0; i < 64; i++)
            text.Append((Black >> i & 1) != 0 ? 'x' : (White >> i & 1) != 0 ? 'o' : '.');
        return text.ToString();
    }

    /// <summary>The names of the squares whose bits are set, in index order.</summary>
    public static IEnumerable<string> SquaresOf(ulong bits)
    {
        for (; bits != 0; bits &= bits - 1)
            yield return new Square(BitOperations.TrailingZeroCount(bits)).Name;
    }

    /// <inheritdoc />
    public bool Equals(OthelloPosition other) =>
        Black == other.Black && White == other.White && ToMove == other.ToMove;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is OthelloPosition other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Black, White, ToMove);

    /// <summary>Equality of discs, turn and game end.</summary>
    public static bool operator ==(OthelloPosition left, OthelloPosition right) => left.Equals(right);

    /// <summary>Inequality of discs, turn or game end.</summary>
    public static bool operator !=(OthelloPosition left, OthelloPosition right) => !left.Equals(right);

    /// <inheritdoc />
    public override string ToString() => $"{ToBoardString()} {(IsGameOver ? "-" : ToMove == OthelloColor.Black ? "b" : "w")}";

    private static string Name(OthelloColor color) => color == OthelloColor.Black ? "black" : "white";

    private static OthelloPosition Resolve(ulong black, ulong white, OthelloColor turn)
    {
        var own = turn == OthelloColor.Black ? black : white;
        var opponent = turn == OthelloColor.Black ? white : black;
        var moves = OthelloBitboards.LegalMoves(own, opponent);
        if (moves != 0) return new(black, white, turn, moves);
        moves = OthelloBitboards.LegalMoves(opponent, own);
        return moves != 0 ? new(black, white, turn.Opponent(), moves) : new(black, white, turn, 0);
    }
}
