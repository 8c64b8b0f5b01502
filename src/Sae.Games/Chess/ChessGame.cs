namespace Sae.Games.Chess;

/// <summary>
/// A game: a start position and the moves played from it, with every position on the way. Moves
/// are checked when played; the history of keys gives repetitions.
/// </summary>
public sealed class ChessGame
{
    private readonly List<ChessMove> _moves = [];
    private readonly List<ChessPosition> _positions;
    private readonly Dictionary<ulong, int> _occurrences = [];

    /// <summary>Starts a game from <paramref name="start"/> (the standard start when null).</summary>
    public ChessGame(ChessPosition? start = null)
    {
        _positions = [start ?? ChessPosition.Initial];
        _occurrences[Start.Key] = 1;
    }

    /// <summary>The position the game started from.</summary>
    public ChessPosition Start => _positions[0];

    /// <summary>The position after the last move.</summary>
    public ChessPosition Current => _positions[^1];

    /// <summary>The moves played, in order.</summary>
    public IReadOnlyList<ChessMove> Moves => _moves;

    /// <summary>Every position: the start, then the one after each move (one more than <see cref="Moves"/>).</summary>
    public IReadOnlyList<ChessPosition> Positions => _positions;

    /// <summary>Plays <paramref name="move"/>.</summary>
    /// <exception cref="IllegalMoveException">It is not legal in <see cref="Current"/>; the message gives the ply.</exception>
    public void Play(ChessMove move)
    {
        Span<ChessMove> legal = stackalloc ChessMove[MoveGenerator.MaxMoves];
        if (!legal[..Current.LegalMoves(legal)].Contains(move))
            throw new IllegalMoveException(_moves.Count + 1, move.Uci, $"not legal in {Current.ToFen()}");
        Append(move);
    }

    /// <summary>Plays the move written <paramref name="san"/> in SAN.</summary>
    /// <exception cref="IllegalMoveException">No legal move, or more than one, matches; the message gives the ply.</exception>
    public ChessMove PlaySan(string san)
    {
        Span<ChessMove> legal = stackalloc ChessMove[MoveGenerator.MaxMoves];
        if (San.TryParse(Current, san, legal[..Current.LegalMoves(legal)], out var move) is { } problem)
            throw new IllegalMoveException(_moves.Count + 1, san, problem);
        Append(move);
        return move;
    }

    /// <summary>The moves in SAN.</summary>
    public IReadOnlyList<string> SanMoves()
    {
        var sans = new string[_moves.Count];
        for (var i = 0; i < sans.Length; i++) sans[i] = San.Write(_positions[i], _moves[i]);
        return sans;
    }

    /// <summary>How often the current position has occurred in the game (1 the first time), under the repetition rule.</summary>
    public int RepetitionCount => _occurrences[Current.Key];

    /// <summary>
    /// The result in PGN form: <c>1-0</c> or <c>0-1</c> after checkmate; <c>1/2-1/2</c> after
    /// stalemate, with insufficient material, or once a fifty-move or threefold-repetition draw may
    /// be claimed (taken as claimed); otherwise <c>*</c>, the game goes on.
    /// </summary>
    public string Result
    {
        get
        {
            var current = Current;
            if (current.LegalMoveCount() == 0)
                return !current.IsCheck ? "1/2-1/2" : current.ToMove == ChessColor.White ? "0-1" : "1-0";
            return current.IsInsufficientMaterial || current.HalfmoveClock >= 100 || RepetitionCount >= 3 ? "1/2-1/2" : "*";
        }
    }

    /// <summary>
    /// Every position with its history as board state properties see it, in one pass: whether a
    /// threefold repetition may be claimed (python-chess's <c>can_claim_threefold_repetition</c>:
    /// the position has occurred three times, or a legal move reaches one that has occurred twice).
    /// </summary>
    public ChessPly[] Plies()
    {
        var counts = new Dictionary<ulong, int>();
        var plies = new ChessPly[_positions.Count];
        var repeated = false;
        Span<ChessMove> legal = stackalloc ChessMove[MoveGenerator.MaxMoves];
        for (var i = 0; i < plies.Length; i++)
        {
            var position = _positions[i];
            var count = counts[position.Key] = counts.GetValueOrDefault(position.Key) + 1;
            repeated |= count >= 2;
            var claim = count >= 3;
            if (!claim && repeated)
            {
                var n = position.LegalMoves(legal);
                for (var m = 0; m < n && !claim; m++)
                    claim = counts.GetValueOrDefault(position.PlayUnchecked(legal[m]).Key) >= 2;
            }
            plies[i] = new ChessPly(position, claim);
        }
        return plies;
    }

    /// <summary>Replays <paramref name="sanMoves"/> from the standard start.</summary>
    /// <exception cref="IllegalMoveException">A move is not legal; the message gives its ply.</exception>
    public static ChessGame FromSan(IEnumerable<string> sanMoves)
    {
        var game = new ChessGame();
        foreach (var san in sanMoves) game.PlaySan(san);
        return game;
    }

    internal void Append(ChessMove move)
    {
        _moves.Add(move);
        var next = Current.PlayUnchecked(move);
        _positions.Add(next);
        _occurrences[next.Key] = _occurrences.GetValueOrDefault(next.Key) + 1;
    }
}
