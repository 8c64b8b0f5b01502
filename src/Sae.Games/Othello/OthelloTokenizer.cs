using System.Numerics;
namespace Sae.Games.Othello;

/// <summary>
/// OthelloGPT's vocabulary: 61 tokens, 0 for padding (and pass), 1..60 for the 60 playable squares
/// (all but the four centre squares 27, 28, 35, 36) in ascending square index. Transcripts never
/// contain passes.
/// </summary>
public static class OthelloTokenizer
{
    /// <summary>The number of tokens, padding included.</summary>
    public const int VocabularySize = 61;

    /// <summary>The padding token.</summary>
    public const int PadToken = 0;

    /// <summary>The model's context: the first 59 moves of a game (<c>tokens[:59]</c>).</summary>
    public const int ContextLength = 59;

    private static readonly int[] TokenOfSquare = BuildTokenOfSquare();
    private static readonly int[] SquareOfToken = BuildSquareOfToken();

    /// <summary>The token of a playable square.</summary>
    /// <exception cref="ArgumentException">The square is one of the four centre squares, which are never played.</exception>
    public static int ToToken(Square square) =>
        TokenOfSquare[square.Index] is var token and > 0
            ? token
            : throw new ArgumentException($"{square} is a centre square, which is occupied from the start and has no token.", nameof(square));

    /// <summary>
    /// The tokens of a set of squares (one bit per square index) as a set of token ids (bit t for
    /// token t); the centre squares, which have no token, are left out.
    /// </summary>
    public static ulong ToTokenMask(ulong squares)
    {
        var tokens = 0UL;
        for (; squares != 0; squares &= squares - 1)
            if (TokenOfSquare[BitOperations.TrailingZeroCount(squares)] is var token and > 0) tokens |= 1UL << token;
        return tokens;
    }

    /// <summary>The square of token 1..60.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The token is the padding token or outside the vocabulary.</exception>
    public static Square ToSquare(int token) =>
        token is >= 1 and < VocabularySize
            ? new Square(SquareOfToken[token])
            : throw new ArgumentOutOfRangeException(nameof(token), token, $"Only tokens 1..{VocabularySize - 1} stand for squares.");

    /// <summary>The tokens of <paramref name="moves"/>, in order.</summary>
    public static int[] Encode(IEnumerable<Square> moves) => [.. moves.Select(ToToken)];

    /// <summary>
    /// The tokens of <paramref name="game"/> cut or padded to <paramref name="length"/> (default: the
    /// model's <see cref="ContextLength"/>).
    /// </summary>
    public static int[] Encode(OthelloGame game, int length = ContextLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var tokens = new int[length];
        var i = 0;
        foreach (var move in game.Moves)
        {
            if (i == length) break;
            tokens[i++] = ToToken(move);
        }
        return tokens;
    }

    /// <summary>
    /// The squares of <paramref name="tokens"/>. Padding may only trail: it ends the transcript.
    /// </summary>
    /// <exception cref="FormatException">A token is outside the vocabulary, or a square token follows padding.</exception>
    public static Square[] Decode(ReadOnlySpan<int> tokens)
    {
        var squares = new List<Square>(tokens.Length);
        var padded = false;
        for (var i = 0; i < tokens.Length; i++)
        {
            var token = tokens[i];
            if ((uint)token >= VocabularySize)
                throw new FormatException($"Token {token} at position {i} is outside the Othello vocabulary 0..{VocabularySize - 1}.");
            if (token == PadToken)
            {
                padded = true;
                continue;
            }
            if (padded)
                throw new FormatException($"Token {token} at position {i} follows padding; padding may only end a transcript.");
            squares.Add(new Square(SquareOfToken[token]));
        }
        return [.. squares];
    }

    /// <summary>Whether <paramref name="square"/> is one of the four centre squares (no token).</summary>
    public static bool IsCentre(Square square) => TokenOfSquare[square.Index] == 0;

    private static int[] BuildTokenOfSquare()
    {
        var tokens = new int[64];
        var next = 1;
        for (var square = 0; square < 64; square++)
            tokens[square] = square is 27 or 28 or 35 or 36 ? 0 : next++;
        return tokens;
    }

    private static int[] BuildSquareOfToken()
    {
        var squares = new int[VocabularySize];
        for (var square = 0; square < 64; square++)
            if (TokenOfSquare[square] > 0) squares[TokenOfSquare[square]] = square;
        return squares;
    }
}
