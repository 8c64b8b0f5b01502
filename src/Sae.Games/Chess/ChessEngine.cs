using System.Numerics;

namespace Sae.Games.Chess;

/// <summary>
/// A small engine for games that look more like play than random moves do: a fixed-depth
/// alpha-beta search (default 2 plies) over an evaluation of material (pawn 100, knight 320,
/// bishop 330, rook 500, queen 900) plus mobility (4 per square attacked by a piece other than a
/// pawn, not occupied by its own side). Ties between equally good moves are broken by a seeded
/// random draw, so games vary and are reproducible. Because ties are rare, games from the same
/// position repeat; <see cref="RandomOpeningPlies"/> and <see cref="RandomMoveProbability"/> make
/// a data set's games differ from each other (uniformly random opening moves, then occasional
/// random moves), as a population of human games does.
/// </summary>
public sealed class ChessEngine
{
    private const int Mate = 1_000_000;
    private static readonly int[] Values = [0, 100, 320, 330, 500, 900, 0];

    /// <summary>Creates an engine searching <paramref name="depth"/> plies (1..4).</summary>
    public ChessEngine(int depth = 2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(depth, 4);
        Depth = depth;
    }

    /// <summary>The search depth in plies.</summary>
    public int Depth { get; }

    /// <summary>The first plies of each game of <see cref="Game"/> are uniformly random legal moves (default 0).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative.</exception>
    public int RandomOpeningPlies
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            field = value;
        }
    }

    /// <summary>After the opening, each ply of <see cref="Game"/> is a uniformly random legal move with this probability (default 0).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not in [0, 1].</exception>
    public double RandomMoveProbability
    {
        get;
        init
        {
            if (!(value is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(RandomMoveProbability), value, "A probability in [0, 1].");
            field = value;
        }
    }

    /// <summary>Plays game <paramref name="index"/> of the set made with <paramref name="seed"/>, engine against itself.</summary>
    public ChessGame Game(ulong seed, long index, int maxPlies = 400)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxPlies);
        var random = new GameRandom(seed, (ulong)index);
        var game = new ChessGame();
        Span<ChessMove> legal = stackalloc ChessMove[MoveGenerator.MaxMoves];
        // A draw is made for every ply when there is any chance of a random move (so games without one are those of earlier versions).
        var threshold = (ulong)(RandomMoveProbability * (1UL << 53));
        while (game.Moves.Count < maxPlies && game.Result == "*")
        {
            var explore = RandomMoveProbability > 0 && (random.NextUInt64() >> 11) < threshold;
            if (game.Moves.Count < RandomOpeningPlies || explore)
            {
                var n = game.Current.LegalMoves(legal);
                game.Append(legal[random.Below(n)]);
            }
            else
            {
                game.Append(BestMove(game.Current, ref random));
            }
        }
        return game;
    }

    /// <summary>The best move of <paramref name="position"/> by this engine, ties broken by <paramref name="seed"/>.</summary>
    /// <exception cref="ArgumentException">The position has no legal move.</exception>
    public ChessMove BestMove(in ChessPosition position, ulong seed)
    {
        var random = new GameRandom(seed, 0);
        return BestMove(position, ref random);
    }

    private ChessMove BestMove(in ChessPosition position, ref GameRandom random)
    {
        Span<ChessMove> moves = stackalloc ChessMove[MoveGenerator.MaxMoves];
        var n = position.LegalMoves(moves);
        if (n == 0) throw new ArgumentException($"no legal move in {position.ToFen()}", nameof(position));
        var best = int.MinValue;
        var chosen = moves[0];
        var ties = 0;
        for (var i = 0; i < n; i++)
        {
            var score = -Search(position.PlayUnchecked(moves[i]), Depth - 1, -Mate - 1, Mate + 1);
            if (score > best)
            {
                best = score;
                chosen = moves[i];
                ties = 1;
            }
            else if (score == best && random.Below(++ties) == 0)
            {
                chosen = moves[i];
            }
        }
        return chosen;
    }

    private static int Search(in ChessPosition position, int depth, int alpha, int beta)
    {
        Span<ChessMove> moves = stackalloc ChessMove[MoveGenerator.MaxMoves];
        var n = position.LegalMoves(moves);
        if (n == 0) return position.IsCheck ? -Mate : 0;
        if (depth == 0) return Evaluate(position);
        for (var i = 0; i < n && alpha < beta; i++)
            alpha = Math.Max(alpha, -Search(position.PlayUnchecked(moves[i]), depth - 1, -beta, -alpha));
        return alpha;
    }

    /// <summary>Material and mobility of the side to move minus the opponent's, in centipawns.</summary>
    internal static int Evaluate(in ChessPosition position)
    {
        var us = position.ToMove;
        var them = us.Opponent();
        var occupied = position.Occupied;
        var score = 4 * (BitOperations.PopCount(position.NonPawnAttacks(us, occupied) & ~position.PiecesOf(us))
                         - BitOperations.PopCount(position.NonPawnAttacks(them, occupied) & ~position.PiecesOf(them)));
        for (var type = PieceType.Pawn; type < PieceType.King; type++)
            score += Values[(int)type] * (BitOperations.PopCount(position.PiecesOf(us, type)) - BitOperations.PopCount(position.PiecesOf(them, type)));
        return score;
    }
}
