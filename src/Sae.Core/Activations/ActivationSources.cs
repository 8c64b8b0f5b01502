namespace Sae.Core.Activations;

/// <summary>Opens activations by path, whatever their form.</summary>
public static class ActivationSources
{
    /// <summary>An <see cref="ActivationStore"/> for a store directory, an <see cref="NpyActivations"/> for a .npy file.</summary>
    /// <exception cref="InvalidDataException">Neither, or malformed.</exception>
    public static IActivationSource Open(string path) =>
        Directory.Exists(path) ? ActivationStore.Open(path)
        : File.Exists(path) ? new NpyActivations(path)
        : throw new InvalidDataException($"{path}: no such activation file or store");
}
