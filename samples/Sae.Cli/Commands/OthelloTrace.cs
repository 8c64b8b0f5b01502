using Sae.Games;
using Sae.Games.Othello;

namespace Sae.Cli.Commands;

/// <summary>
/// <c>sae othello trace</c>: replays games given one per line as square names, and writes for every
/// move <c>GAME PLY BOARD TOMOVE LEGAL</c> (see <see cref="Run"/>).
/// </summary>
public static class OthelloTrace
{
    /// <summary>
    /// Reads games from <paramref name="input"/>, one per line (GAME = line number from 1; an empty
    /// line is a game without moves and writes nothing), and writes one line per move: GAME, PLY (from
    /// 1), the 64-character board after the move (x black, o white, . empty, in square-index order),
    /// the player to move after any forced pass (b, w, or - once the game is over), and that player's
    /// legal moves as square names in ordinal order joined by commas (or -). An unknown or illegal move
    /// writes <c>GAME error: …</c> naming the ply and the move and ends that game; the others go on.
    /// </summary>
    /// <returns>0 when every game was legal, 1 otherwise.</returns>
    public static int Run(TextReader input, TextWriter output, CancellationToken cancellationToken = default)
    {
        var failed = false;
        var game = 0;
        while (input.ReadLine() is { } line)
        {
            cancellationToken.ThrowIfCancellationRequested();
            game++;
            var position = OthelloPosition.Initial;
            var ply = 0;
            foreach (var word in line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            {
                ply++;
                if (!Square.TryParse(word, out var square))
                {
                    output.WriteLine($"{game} error: ply {ply}: unknown move '{word}': not a square name a1..h8");
                    failed = true;
                    break;
                }
                if (!position.TryPlay(square.Index, out var next, out _))
                {
                    output.WriteLine($"{game} error: {new IllegalMoveException(ply, word, position.WhyIllegal(square.Index)).Message}");
                    failed = true;
                    break;
                }
                position = next;
                output.WriteLine($"{game} {ply} {position.ToBoardString()} {ToMove(position)} {Legal(position)}");
            }
        }
        return failed ? 1 : 0;
    }

    private static string ToMove(OthelloPosition position) =>
        position.IsGameOver ? "-" : position.ToMove == OthelloColor.Black ? "b" : "w";

    private static string Legal(OthelloPosition position)
    {
        var names = OthelloPosition.SquaresOf(position.LegalMoves).Order(StringComparer.Ordinal).ToList();
        return names.Count == 0 ? "-" : string.Join(',', names);
    }
}
