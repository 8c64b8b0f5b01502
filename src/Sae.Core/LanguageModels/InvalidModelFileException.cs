namespace Sae.Core.LanguageModels;

/// <summary>A model file is missing, truncated, foreign, or inconsistent with its configuration.</summary>
public sealed class InvalidModelFileException : IOException
{
    /// <summary>Creates the exception for <paramref name="path"/>, saying what is wrong.</summary>
    public InvalidModelFileException(string path, string problem, Exception? inner = null)
        : base($"{path}: {problem}", inner)
    {
        FilePath = path;
    }

    /// <summary>The offending file.</summary>
    public string FilePath { get; }
}
