namespace Sae.Core.LanguageModels;

/// <summary>A model was asked for by a path that does not exist and a name that is not shipped (see <see cref="PretrainedModels"/>).</summary>
public sealed class UnknownModelException : FileNotFoundException
{
    /// <summary>Creates the exception for <paramref name="pathOrName"/>, listing the <paramref name="shipped"/> models.</summary>
    public UnknownModelException(string pathOrName, IReadOnlyList<string> shipped)
        : base($"{pathOrName}: no such file or directory, and no shipped model of that name ({Describe(shipped)})", pathOrName)
    {
        Shipped = shipped;
    }

    /// <summary>The names of the models that are shipped here.</summary>
    public IReadOnlyList<string> Shipped { get; }

    private static string Describe(IReadOnlyList<string> names) => names.Count == 0
        ? $"none is here: reference the Sae.Models package, or set {PretrainedModels.SearchPathVariable} to a folder of models"
        : "shipped: " + string.Join(", ", names);
}
