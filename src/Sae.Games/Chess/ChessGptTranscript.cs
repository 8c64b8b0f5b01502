using System.Text;

namespace Sae.Games.Chess;

/// <summary>
/// ChessGPT's character-level transcripts (docs/reference.md §1): PGN movetext without spaces after
/// move numbers, starting with <c>;</c>, e.g. <c>;1.e4 e5 2.Nf3 Nc6</c>, over a 32-character
/// vocabulary, truncated to a fixed length (256). Board states are sampled at the <c>.</c>
/// characters: the position before White's move, the first one being the start.
/// </summary>
public static class ChessGptTranscript
{
    /// <summary>The vocabulary: a character's token is its index here (a space is 0, <c>;</c> is 15).</summary>
    public const string Vocabulary = " #+-.0123456789;=BKNOQRabcdefghx";

    /// <summary>The length games are truncated to in the reference.</summary>
    public const int DefaultLength = 256;

    /// <summary>How many '.' positions per game the reference samples.</summary>
    public const int DefaultDotCount = 20;

    /// <summary>The transcript of <paramref name="game"/>, which must start from the standard start.</summary>
    /// <exception cref="ArgumentException">The game starts from another position.</exception>
    public static string Format(ChessGame game)
    {
        ArgumentNullException.ThrowIfNull(game);
        if (game.Start != ChessPosition.Initial)
            throw new ArgumentException($"ChessGPT transcripts start from the standard position; this game starts from {game.Start.ToFen()}.", nameof(game));
        return Format(game.SanMoves());
    }

    /// <summary>The transcript of moves in SAN, White's first: <c>;1.e4 e5 2.Nf3</c>.</summary>
    public static string Format(IReadOnlyList<string> sanMoves)
    {
        var text = new StringBuilder(";");
        for (var i = 0; i < sanMoves.Count; i++)
        {
            if (i % 2 == 0) text.Append(i == 0 ? "" : " ").Append(i / 2 + 1).Append('.');
            else text.Append(' ');
            text.Append(sanMoves[i]);
        }
        return text.ToString();
    }

    /// <summary>The first <paramref name="length"/> characters of <paramref name="transcript"/> (all of it when shorter).</summary>
    public static string Truncate(string transcript, int length = DefaultLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return transcript.Length <= length ? transcript : transcript[..length];
    }

    /// <summary>The tokens of <paramref name="transcript"/>.</summary>
    /// <exception cref="FormatException">A character is not in the vocabulary; the message names it and its index.</exception>
    public static byte[] Encode(string transcript)
    {
        var tokens = new byte[transcript.Length];
        for (var i = 0; i < transcript.Length; i++)
        {
            var token = Vocabulary.IndexOf(transcript[i]);
            tokens[i] = token >= 0
                ? (byte)token
                : throw new FormatException($"character '{transcript[i]}' at index {i} is not in the ChessGPT vocabulary \"{Vocabulary}\"");
        }
        return tokens;
    }

    /// <summary>The text of <paramref name="tokens"/>.</summary>
    /// <exception cref="FormatException">A token is 32 or more.</exception>
    public static string Decode(ReadOnlySpan<byte> tokens)
    {
        var text = new char[tokens.Length];
        for (var i = 0; i < tokens.Length; i++)
            text[i] = tokens[i] < Vocabulary.Length ? Vocabulary[tokens[i]] : throw new FormatException($"token {tokens[i]} at index {i} is outside the ChessGPT vocabulary (0..31)");
        return new string(text);
    }

    /// <summary>
    /// Replays a transcript as the reference does (<c>create_state_stack</c>): split at spaces,
    /// drop move numbers, play each move; a move that cannot be read ends the game there, which is
    /// how a partial move at the end of a truncated transcript is ignored.
    /// </summary>
    public static ChessGame Parse(string transcript)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        var game = new ChessGame();
        foreach (var word in transcript.TrimStart(';').Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var dot = word.LastIndexOf('.');
            var san = dot >= 0 ? word[(dot + 1)..] : word;
            if (san.Length == 0) continue;
            try
            {
                game.PlaySan(san);
            }
            catch (IllegalMoveException)
            {
                break;
            }
        }
        return game;
    }

    /// <summary>
    /// The board states at the first <paramref name="maxCount"/> '.' characters: the state at a
    /// character is the one after as many moves as there are spaces before it (at most the moves
    /// that could be replayed), as the reference maps characters to states; so the first '.' is the
    /// start, and at every '.' White is to move.
    /// </summary>
    public static IReadOnlyList<TranscriptPosition> DotPositions(string transcript, int maxCount = DefaultDotCount)
    {
        var plies = Parse(transcript).Plies();
        var positions = new List<TranscriptPosition>();
        var spaces = 0;
        for (var i = 0; i < transcript.Length && positions.Count < maxCount; i++)
        {
            if (transcript[i] == ' ') spaces++;
            else if (transcript[i] == '.') positions.Add(new TranscriptPosition(i, plies[Math.Min(spaces, plies.Length - 1)]));
        }
        return positions;
    }
}
