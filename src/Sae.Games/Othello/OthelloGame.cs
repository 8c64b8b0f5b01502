using System.Collections.ObjectModel;

namespace Sae.Games.Othello;

/// <summary>
/// A legal Othello game from the start position: its moves (passes are implied, never listed, as
/// in OthelloGPT transcripts) and every position they lead to. Games are checked when made.
/// </summary>
public sealed class OthelloGame
{
    /// <summary>The most moves a game can have: every square but the four centre ones.</summary>
    public const int MaxMoves = 60;

    private readonly OthelloPly[] _plies;

    private OthelloGame(OthelloPly[] plies)
    {
        _plies = plies;
        Plies = new ReadOnlyCollection<OthelloPly>(plies);
    }

    /// <summary>Each move with the position after it, in order.</summary>
    public IReadOnlyList<OthelloPly> Plies { get; }

    /// <summary>The number of moves.</summary>
    public int Length => _plies.Length;

    /// <summary>The position after the last move (the start position for an empty game).</summary>
    public OthelloPosition FinalPosition => _plies.Length == 0 ? OthelloPosition.Initial : _plies[^1].Position;

    /// <summary>How many times a player had to pass.</summary>
    public int PassCount => _plies.Count(p => p.OpponentPasses);

    /// <summary>The moves, in order.</summary>
    public IEnumerable<Square> Moves => _plies.Select(p => p.Move);

    /// <summary>Replays <paramref name="moves"/> from the start.</summary>
    /// <exception cref="IllegalMoveException">A move is illegal; the exception names its ply and square.</exception>
    public static OthelloGame FromMoves(IEnumerable<Square> moves)
    {
        var plies = new List<OthelloPly>(MaxMoves);
        var position = OthelloPosition.Initial;
        foreach (var move in moves)
        {
            if (!position.TryPlay(move.Index, out var next, out var flipped))
                throw new IllegalMoveException(plies.Count + 1, move.Name, position.WhyIllegal(move.Index));
            plies.Add(new OthelloPly(plies.Count, move, position.ToMove, flipped, next));
            position = next;
        }
        return new OthelloGame([.. plies]);
    }

    /// <summary>Replays moves given as square indices 0..63.</summary>
    /// <exception cref="IllegalMoveException">A move is illegal or not a square index.</exception>
    public static OthelloGame FromSquareIndices(ReadOnlySpan<byte> moves)
    {
        var plies = new OthelloPly[moves.Length];
        var position = OthelloPosition.Initial;
        for (var i = 0; i < moves.Length; i++)
        {
            int move = moves[i];
            if (move > 63) throw new IllegalMoveException(i + 1, move.ToString(), "not a square index 0..63");
            if (!position.TryPlay(move, out var next, out var flipped))
                throw new IllegalMoveException(i + 1, new Square(move).Name, position.WhyIllegal(move));
            plies[i] = new OthelloPly(i, new Square(move), position.ToMove, flipped, next);
            position = next;
        }
        return new OthelloGame(plies);
    }

    /// <summary>Parses moves written as square names separated by white space, e.g. <c>f5 d6 c3</c>.</summary>
    /// <exception cref="FormatException">A word is not a square name.</exception>
    /// <exception cref="IllegalMoveException">A move is illegal.</exception>
    public static OthelloGame Parse(string moves) =>
        FromMoves(moves.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(w => Square.Parse(w)));

    /// <summary>The moves as square indices 0..63.</summary>
    public byte[] ToSquareIndices() => [.. _plies.Select(p => (byte)p.Move.Index)];

    /// <inheritdoc />
    public override string ToString() => string.Join(' ', Moves);
}
