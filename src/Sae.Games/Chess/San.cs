using System.Text;

namespace Sae.Games.Chess;

/// <summary>
/// Standard Algebraic Notation as PGN writes it: <c>e4</c>, <c>exd5</c>, <c>Nbd7</c>, <c>R1e2</c>,
/// <c>Qh4xe1</c>, <c>exd8=Q+</c>, <c>O-O</c>, <c>O-O-O#</c>. A piece move names its origin only when
/// another piece of its type could reach the same square: by file if that tells them apart, else by
/// rank, else both. <c>+</c> marks check and <c>#</c> checkmate.
/// </summary>
public static class San
{
    private const string PieceLetters = "  NBRQK";

    /// <summary>Writes a legal <paramref name="move"/> of <paramref name="position"/>.</summary>
    /// <exception cref="IllegalMoveException">The move is not legal in the position.</exception>
    public static string Write(in ChessPosition position, ChessMove move)
    {
        Span<ChessMove> legal = stackalloc ChessMove[MoveGenerator.MaxMoves];
        return Write(position, move, legal[..position.LegalMoves(legal)]);
    }

    /// <summary>Writes <paramref name="move"/>, one of <paramref name="legal"/> (the position's legal moves, given to save generating them again).</summary>
    /// <exception cref="IllegalMoveException">The move is not among <paramref name="legal"/>.</exception>
    public static string Write(in ChessPosition position, ChessMove move, ReadOnlySpan<ChessMove> legal)
    {
        if (!legal.Contains(move)) throw new IllegalMoveException(move.Uci, $"not a legal move in {position.ToFen()}");
        var text = new StringBuilder(8);
        var type = position.TypeAt(move.FromIndex);
        if (move.IsCastling)
        {
            text.Append(move.ToIndex > move.FromIndex ? "O-O" : "O-O-O");
        }
        else
        {
            var capture = move.IsEnPassant || position.TypeAt(move.ToIndex) != PieceType.None;
            if (type == PieceType.Pawn)
            {
                if (capture) text.Append((char)('a' + move.From.File));
            }
            else
            {
                text.Append(PieceLetters[(int)type]);
                AppendDisambiguation(text, position, move, type, legal);
            }
            if (capture) text.Append('x');
            text.Append(move.To.Name);
            if (move.Promotion != PieceType.None) text.Append('=').Append(PieceLetters[(int)move.Promotion]);
        }
        var next = position.PlayUnchecked(move);
        if (next.IsCheck) text.Append(next.LegalMoveCount() == 0 ? '#' : '+');
        return text.ToString();
    }

    /// <summary>
    /// Reads <paramref name="san"/> in <paramref name="position"/>. Accepted beyond strict SAN:
    /// annotations (<c>!</c>, <c>?</c>), missing or wrong <c>+</c>/<c>#</c>, <c>0-0</c> for castling,
    /// a promotion without <c>=</c>, and superfluous disambiguation.
    /// </summary>
    /// <exception cref="IllegalMoveException">The text is not SAN, or no legal move or more than one matches it.</exception>
    public static ChessMove Parse(in ChessPosition position, string san)
    {
        Span<ChessMove> legal = stackalloc ChessMove[MoveGenerator.MaxMoves];
        return Parse(position, san, legal[..position.LegalMoves(legal)]);
    }

    /// <summary>Reads <paramref name="san"/> against the position's <paramref name="legal"/> moves.</summary>
    /// <exception cref="IllegalMoveException">The text is not SAN, or no legal move or more than one matches it.</exception>
    public static ChessMove Parse(in ChessPosition position, string san, ReadOnlySpan<ChessMove> legal) =>
        TryParse(position, san, legal, out var move) is { } problem ? throw new IllegalMoveException(san, problem) : move;

    /// <summary>Reads <paramref name="san"/>; returns null when it names exactly one of <paramref name="legal"/>, else what is wrong.</summary>
    internal static string? TryParse(in ChessPosition position, string san, ReadOnlySpan<ChessMove> legal, out ChessMove move)
    {
        ArgumentNullException.ThrowIfNull(san);
        move = default;
        var text = san.AsSpan().TrimEnd("+#!?");
        if (text is "O-O" or "0-0" or "O-O-O" or "0-0-0")
        {
            var kingside = text.Length == 3;
            foreach (var m in legal)
                if (m.IsCastling && (m.ToIndex > m.FromIndex) == kingside)
                {
                    move = m;
                    return null;
                }
            return $"castling {(kingside ? "kingside" : "queenside")} is not legal in {position.ToFen()}";
        }

        var type = PieceType.Pawn;
        if (text.Length > 0 && PieceLetters.IndexOf(text[0]) > 1)
        {
            type = (PieceType)PieceLetters.IndexOf(text[0]);
            text = text[1..];
        }
        var promotion = PieceType.None;
        if (text.Length > 0 && PieceLetters.IndexOf(text[^1]) > 1)
        {
            promotion = (PieceType)PieceLetters.IndexOf(text[^1]);
            text = text[..^1];
            if (promotion == PieceType.King) return "a pawn cannot promote to a king";
            if (text.Length > 0 && text[^1] == '=') text = text[..^1];
        }
        if (text.Length < 2 || !Square.TryParse(text[^2..], out var to) || text[^2] is < 'a' or > 'h')
            return "not SAN: no destination square";
        text = text[..^2];
        if (text.Length > 0 && text[^1] == 'x') text = text[..^1];
        int fromFile = -1, fromRow = -1;
        foreach (var ch in text)
        {
            if (ch is >= 'a' and <= 'h' && fromFile < 0) fromFile = ch - 'a';
            else if (ch is >= '1' and <= '8' && fromRow < 0) fromRow = ch - '1';
            else return $"not SAN: unexpected '{ch}'";
        }

        ChessMove? found = null;
        foreach (var m in legal)
        {
            if (m.ToIndex != to.Index || m.Promotion != promotion || m.IsCastling) continue;
            if (position.TypeAt(m.FromIndex) != type) continue;
            if ((fromFile >= 0 && m.From.File != fromFile) || (fromRow >= 0 && m.From.Row != fromRow)) continue;
            if (found is not null) return $"ambiguous: both {found.Value.Uci} and {m.Uci} match in {position.ToFen()}";
            found = m;
        }
        if (found is null) return $"no legal move matches in {position.ToFen()}";
        move = found.Value;
        return null;
    }

    private static void AppendDisambiguation(StringBuilder text, in ChessPosition position, ChessMove move, PieceType type, ReadOnlySpan<ChessMove> legal)
    {
        bool any = false, sameFile = false, sameRow = false;
        foreach (var other in legal)
        {
            if (other.ToIndex != move.ToIndex || other.FromIndex == move.FromIndex || position.TypeAt(other.FromIndex) != type) continue;
            any = true;
            sameFile |= other.From.File == move.From.File;
            sameRow |= other.From.Row == move.From.Row;
        }
        if (!any) return;
        if (!sameFile) text.Append((char)('a' + move.From.File));
        else if (!sameRow) text.Append((char)('1' + move.From.Row));
        else text.Append(move.From.Name);
    }
}
