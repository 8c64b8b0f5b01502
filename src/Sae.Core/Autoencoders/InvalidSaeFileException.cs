namespace Sae.Core.Autoencoders;

/// <summary>A saved SAE that is missing, truncated, foreign, or inconsistent with its configuration.</summary>
public sealed class InvalidSaeFileException : IOException
{
    /// <summary>Creates the exception; the message names the file and what is wrong with it.</summary>
    public InvalidSaeFileException(string path, string problem, Exception? inner = null) : base($"{path}: {problem}", inner)
    {
        Path = path;
        Problem = problem;
    }

    /// <summary>What is wrong with the file (the message without the path).</summary>
    public string Problem { get; }

    /// <summary>The file that was being read.</summary>
    public string Path { get; }
}
