using System.Text;

namespace Sae.Games.Chess;

/// <summary>
/// Reads the games of a PGN file as a stream (one game in memory at a time): tag pairs,
/// movetext with move numbers, <c>{…}</c> and <c>;</c> comments, <c>%</c> escape lines, NAGs
/// (<c>$1</c>) and suffix annotations (<c>!?</c>), and recursive variations <c>( … )</c>, which are
/// skipped (only the main line is kept). A game ends at its result or where the next game's tags
/// begin. A game that cannot be read (bad syntax, an illegal move) is reported to the caller with
/// its number and skipped; reading goes on with the next game.
/// </summary>
public sealed class PgnReader
{
    private static readonly string[] Results = ["1-0", "0-1", "1/2-1/2", "*"];

    private readonly TextReader _reader;
    private int _line = 1;
    private bool _atLineStart = true;

    /// <summary>Reads from <paramref name="reader"/>, which the caller disposes.</summary>
    public PgnReader(TextReader reader) => _reader = reader ?? throw new ArgumentNullException(nameof(reader));

    /// <summary>The games that could be read; each bad game is passed to <paramref name="onError"/> (when given) and skipped.</summary>
    public IEnumerable<PgnGame> ReadGames(Action<PgnFormatException>? onError = null)
    {
        var number = 0;
        while (true)
        {
            var (game, error) = ReadGame(number + 1);
            if (game is null && error is null) yield break;
            number++;
            if (error is not null) onError?.Invoke(error);
            else yield return game!;
        }
    }

    private (PgnGame? Game, PgnFormatException? Error) ReadGame(int number)
    {
        var tags = new Dictionary<string, string>();
        ChessGame? game = null;
        PgnFormatException? error = null;
        var started = false;
        var inMovetext = false;
        while (true)
        {
            var c = SkipSpaceAndComments(number, ref error);
            if (c < 0)
                return started ? Finish(number, tags, game, "*", error) : (null, null);
            if (c == '[')
            {
                if (inMovetext) return Finish(number, tags, game, "*", error);
                Read();
                started = true;
                ReadTag(number, tags, ref error);
                continue;
            }
            started = true;
            inMovetext = true;
            Read();
            if (c == '(')
            {
                SkipVariation(number, ref error);
                continue;
            }
            if (c == ')')
            {
                error ??= new PgnFormatException(number, _line, "')' without a variation to close");
                continue;
            }
            var token = ReadSymbol((char)c);
            if (Results.Contains(token))
                return Finish(number, tags, game, token, error);
            var san = StripMoveNumber(token);
            if (san.Length == 0 || san[0] == '$' || error is not null) continue;
            try
            {
                game ??= NewGame(number, tags);
                game.PlaySan(san);
            }
            catch (Exception e) when (e is IllegalMoveException or FenFormatException)
            {
                error = new PgnFormatException(number, _line, e.Message, e);
            }
        }
    }

    private (PgnGame?, PgnFormatException?) Finish(int number, Dictionary<string, string> tags, ChessGame? game, string result, PgnFormatException? error)
    {
        if (error is not null) return (null, error);
        try
        {
            return (new PgnGame(number, tags, game ?? NewGame(number, tags), result), null);
        }
        catch (FenFormatException e)
        {
            return (null, new PgnFormatException(number, _line, e.Message, e));
        }
    }

    private ChessGame NewGame(int number, Dictionary<string, string> tags) =>
        tags.TryGetValue("FEN", out var fen) ? new ChessGame(ChessFen.Parse(fen)) : new ChessGame();

    private static string StripMoveNumber(string token)
    {
        var i = 0;
        while (i < token.Length && char.IsAsciiDigit(token[i])) i++;
        if (i == token.Length && i > 0) return ""; // a bare move number whose dots come as their own token
        if (i < token.Length && token[i] == '.')
        {
            while (i < token.Length && token[i] == '.') i++;
            return token[i..];
        }
        return i == 0 && token.All(ch => ch == '.') ? "" : token;
    }

    private string ReadSymbol(char first)
    {
        var text = new StringBuilder().Append(first);
        while (true)
        {
            var c = _reader.Peek();
            if (c < 0 || char.IsWhiteSpace((char)c) || "{}();[]$".Contains((char)c)) break;
            text.Append((char)Read());
        }
        return text.ToString();
    }

    private void ReadTag(int number, Dictionary<string, string> tags, ref PgnFormatException? error)
    {
        var line = _line;
        var name = new StringBuilder();
        int c;
        while ((c = Read()) >= 0 && char.IsWhiteSpace((char)c)) { }
        while (c >= 0 && (char.IsAsciiLetterOrDigit((char)c) || c == '_'))
        {
            name.Append((char)c);
            c = Read();
        }
        while (c >= 0 && char.IsWhiteSpace((char)c)) c = Read();
        if (name.Length == 0 || c != '"')
        {
            error ??= new PgnFormatException(number, line, "malformed tag pair: expected [Name \"value\"]");
            SkipPast(']', '\n');
            return;
        }
        var value = new StringBuilder();
        while ((c = Read()) >= 0 && c != '"' && c != '\n')
        {
            if (c == '\\' && _reader.Peek() is '"' or '\\') c = Read();
            value.Append((char)c);
        }
        if (c != '"')
        {
            error ??= new PgnFormatException(number, line, $"tag {name}: unterminated string");
            return;
        }
        while ((c = Read()) >= 0 && c != ']' && char.IsWhiteSpace((char)c)) { }
        if (c != ']') error ??= new PgnFormatException(number, line, $"tag {name}: expected ']'");
        tags[name.ToString()] = value.ToString();
    }

    private int SkipSpaceAndComments(int number, ref PgnFormatException? error)
    {
        while (true)
        {
            var c = _reader.Peek();
            if (c < 0) return -1;
            if (c == '%' && _atLineStart) SkipPast('\n');
            else if (char.IsWhiteSpace((char)c)) Read();
            else if (c == ';') SkipPast('\n');
            else if (c == '{') SkipComment(number, ref error);
            else return c;
        }
    }

    private void SkipComment(int number, ref PgnFormatException? error)
    {
        var line = _line;
        Read();
        if (!SkipPast('}')) error ??= new PgnFormatException(number, line, "comment '{' not closed before the end of the file");
    }

    private void SkipVariation(int number, ref PgnFormatException? error)
    {
        var line = _line;
        var depth = 1;
        while (depth > 0)
        {
            var c = SkipSpaceAndComments(number, ref error);
            if (c < 0)
            {
                error ??= new PgnFormatException(number, line, "variation '(' not closed before the end of the file");
                return;
            }
            Read();
            if (c == '(') depth++;
            else if (c == ')') depth--;
        }
    }

    private bool SkipPast(char end, char alsoEnd = '\0')
    {
        int c;
        while ((c = Read()) >= 0)
            if (c == end || (alsoEnd != '\0' && c == alsoEnd)) return true;
        return false;
    }

    private int Read()
    {
        var c = _reader.Read();
        _atLineStart = c == '\n';
        if (c == '\n') _line++;
        return c;
    }
}
