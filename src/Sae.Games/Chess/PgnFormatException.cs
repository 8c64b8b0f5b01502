namespace Sae.Games.Chess;

/// <summary>A game of a PGN file that cannot be read: bad syntax, or a move that is not legal.</summary>
public sealed class PgnFormatException : FormatException
{
    /// <summary>Creates the exception for game <paramref name="gameNumber"/> (1-based) at <paramref name="line"/>.</summary>
    public PgnFormatException(int gameNumber, int line, string problem, Exception? inner = null)
        : base($"game {gameNumber} (line {line}): {problem}", inner)
    {
        GameNumber = gameNumber;
        Line = line;
    }

    /// <summary>The 1-based number of the game in its file.</summary>
    public int GameNumber { get; }

    /// <summary>The 1-based line where the problem was found.</summary>
    public int Line { get; }
}
