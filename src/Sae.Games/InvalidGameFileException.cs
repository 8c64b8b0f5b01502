namespace Sae.Games;

/// <summary>A game dataset file that is truncated, foreign, of another version, or holds an impossible game.</summary>
public sealed class InvalidGameFileException : IOException
{
    /// <summary>Creates the exception; the message names the file and what was wrong.</summary>
    public InvalidGameFileException(string path, string problem, Exception? inner = null)
        : base($"{path}: {problem}", inner)
    {
        Path = path;
    }

    /// <summary>The file that was being read.</summary>
    public string Path { get; }
}
