namespace Sae.Core.Training;

/// <summary>
/// The paper's SAE recipe (docs/reference.md §3), written once: the dictionary size, batch, length and warm-up its sweeps train with.
/// <see cref="TrainingOptions"/> and <see cref="Architectures.SaeTrainerSettings"/> default to it, and so do <c>sae train</c> and the
/// experiment's paper presets.
/// </summary>
public static class PaperRecipe
{
    /// <summary>Dictionary size F.</summary>
    public const int Features = 4096;

    /// <summary>Activations per step.</summary>
    public const int BatchSize = 8192;

    /// <summary>Steps: 300M activations of <see cref="BatchSize"/>.</summary>
    public const long Steps = 36_621;

    /// <summary>Learning-rate warm-up steps.</summary>
    public const long Warmup = 1000;
}
