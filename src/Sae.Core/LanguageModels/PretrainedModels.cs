namespace Sae.Core.LanguageModels;

/// <summary>
/// The game models shipped with the library (the <c>Sae.Models</c> package: <c>othello-gpt-small</c>, …),
/// found by name. A shipped model is a model directory (<see cref="GptFiles"/>' layout, plus its model card)
/// named after the model, under a <c>models</c> folder: the one beside the application (where the
/// <c>Sae.Models</c> package, or a project reference to it, copies its models on build and publish),
/// then each folder of the <see cref="SearchPathVariable"/> environment variable (separated by
/// <see cref="Path.PathSeparator"/>; for a notebook, point it at the package's <c>models</c> folder).
/// </summary>
public static class PretrainedModels
{
    /// <summary>The folder, beside the application, that holds the shipped models.</summary>
    public const string FolderName = "models";

    /// <summary>An environment variable naming more folders of models, searched after the application's own.</summary>
    public const string SearchPathVariable = "SAE_MODELS_PATH";

    /// <summary>The machine-readable model card's file name in a shipped model's directory (see <see cref="ModelCard"/>).</summary>
    public const string CardFileName = "card.json";

    /// <summary>The narrative model card's file name in a shipped model's directory: the commands that made the model and its figures.</summary>
    public const string NarrativeCardFileName = "MODEL_CARD.md";

    /// <summary>The folders searched, in order: the application's <see cref="FolderName"/>, then those of <see cref="SearchPathVariable"/>.</summary>
    public static IReadOnlyList<string> SearchFolders =>
    [
        System.IO.Path.Combine(AppContext.BaseDirectory, FolderName),
        .. (Environment.GetEnvironmentVariable(SearchPathVariable) ?? "")
            .Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
    ];

    /// <summary>The names of the models found, sorted; empty where no <c>models</c> folder is there.</summary>
    public static IReadOnlyList<string> Names =>
        [.. SearchFolders.Where(Directory.Exists)
            .SelectMany(Directory.EnumerateDirectories)
            .Where(IsModelDirectory)
            .Select(d => System.IO.Path.GetFileName(d))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];

    /// <summary>Whether a model named <paramref name="name"/> is shipped here.</summary>
    public static bool Contains(string name) => Find(name) is not null;

    /// <summary>The directory of the shipped model <paramref name="name"/> (e.g. <c>othello-gpt-small</c>), for <see cref="GptFiles.Load"/>.</summary>
    /// <exception cref="UnknownModelException">No shipped model has that name; the message lists those that are.</exception>
    public static string Path(string name) => Find(name) ?? throw new UnknownModelException(name, Names);

    /// <summary>
    /// <paramref name="pathOrName"/> as a full path where a file or directory of that path exists, and
    /// otherwise the directory of the shipped model of that name.
    /// </summary>
    /// <exception cref="UnknownModelException">Neither a file, a directory nor a shipped model's name.</exception>
    public static string Resolve(string pathOrName) =>
        File.Exists(pathOrName) || Directory.Exists(pathOrName) ? System.IO.Path.GetFullPath(pathOrName)
        : Find(pathOrName) ?? throw new UnknownModelException(pathOrName, Names);

    /// <summary>The model card of the shipped model <paramref name="name"/>.</summary>
    /// <exception cref="UnknownModelException">No shipped model has that name.</exception>
    /// <exception cref="InvalidModelFileException">Its card is missing or invalid.</exception>
    public static ModelCard Card(string name) => ModelCard.Read(System.IO.Path.Combine(Path(name), CardFileName));

    /// <summary>Whether <paramref name="text"/> has the form of a model's name: not empty, no folder separator, not <c>.</c> or <c>..</c>.</summary>
    public static bool IsName(string text) => text.Length > 0 && text.IndexOfAny(['/', '\\']) < 0 && text is not ("." or "..");

    private static string? Find(string name)
    {
        if (!IsName(name)) return null;
        return SearchFolders.Select(folder => System.IO.Path.Combine(folder, name)).FirstOrDefault(IsModelDirectory);
    }

    private static bool IsModelDirectory(string directory) =>
        File.Exists(System.IO.Path.Combine(directory, GptFiles.ConfigFileName)) && File.Exists(System.IO.Path.Combine(directory, GptFiles.WeightsFileName));
}
