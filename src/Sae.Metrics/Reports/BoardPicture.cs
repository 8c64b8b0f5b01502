using Sae.Games;
using Sae.Games.Chess;
using Sae.Games.Othello;

namespace Sae.Metrics.Reports;

/// <summary>
/// What a drawn board shows of one sampled position: the pieces, the squares the last move changed and the
/// legal moves' squares. Squares are indexed 8·(rank − 1) + file (a1 = 0), as everywhere in the library.
/// </summary>
/// <param name="Game"><c>othello</c> or <c>chess</c>.</param>
/// <param name="Squares">64 characters, one per square: Othello <c>B</c> (black), <c>W</c> (white), <c>.</c>; chess the FEN letters (<c>P</c> … <c>k</c>) or <c>.</c>.</param>
/// <param name="Moved">The squares the move just played changed: Othello the disc placed; chess the squares that changed since the previous move number (White's and Black's moves).</param>
/// <param name="Marked">The legal moves of the side to move: Othello the squares it may play; chess the squares its legal moves go to.</param>
public sealed record BoardPicture(string Game, string Squares, IReadOnlyList<int> Moved, IReadOnlyList<int> Marked)
{
    /// <summary>An Othello position after <paramref name="ply"/>.</summary>
    public static BoardPicture Of(OthelloPly ply)
    {
        var position = ply.Position;
        var squares = string.Create(64, position, static (span, p) =>
        {
            for (var s = 0; s < 64; s++)
                span[s] = p[new Square(s)] switch { OthelloColor.Black => 'B', OthelloColor.White => 'W', _ => '.' };
        });
        return new BoardPicture("othello", squares, [ply.Move.Index], Bits(position.LegalMoves));
    }

    /// <summary>A chess position, with the squares that differ from <paramref name="previous"/> (none for the first).</summary>
    public static BoardPicture Of(ChessPosition position, ChessPosition? previous)
    {
        var squares = Letters(position);
        var before = previous is { } p ? Letters(p) : squares;
        Span<ChessMove> moves = stackalloc ChessMove[256];
        var count = position.LegalMoves(moves);
        var targets = new SortedSet<int>();
        foreach (var move in moves[..count]) targets.Add(move.To.Index);
        return new BoardPicture("chess", squares, [.. Enumerable.Range(0, 64).Where(s => squares[s] != before[s])], [.. targets]);
    }

    private static string Letters(ChessPosition position)
    {
        var letters = new char[64];
        for (var s = 0; s < 64; s++) letters[s] = position[new Square(s)] is { } piece ? piece.FenLetter : '.';
        return new string(letters);
    }

    private static int[] Bits(ulong bits) => [.. Enumerable.Range(0, 64).Where(s => ((bits >> s) & 1) != 0)];
}
