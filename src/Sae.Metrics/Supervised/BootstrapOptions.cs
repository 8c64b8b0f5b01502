namespace Sae.Metrics.Supervised;

/// <summary>
/// How the supervised metrics' confidence intervals are drawn: a percentile bootstrap over games (every
/// game's positions are resampled together, since positions of one game are not independent), seeded so
/// that the same inputs give the same interval.
/// </summary>
/// <param name="Resamples">Bootstrap resamples (1,000 by default).</param>
/// <param name="Level">The interval's coverage probability (0.95 by default).</param>
/// <param name="Seed">The resampling seed.</param>
public sealed record BootstrapOptions(int Resamples = 1000, double Level = 0.95, int Seed = 0)
{
    /// <summary>1,000 resamples, 95%, seed 0.</summary>
    public static BootstrapOptions Default { get; } = new();

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than 2 resamples, or a level outside (0, 1).</exception>
    public void Check()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Resamples, 2, nameof(Resamples));
        if (!(Level > 0 && Level < 1)) throw new ArgumentOutOfRangeException(nameof(Level), Level, "The level must be between 0 and 1.");
    }
}
