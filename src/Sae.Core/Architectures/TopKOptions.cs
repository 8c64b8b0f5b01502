namespace Sae.Core.Architectures;

/// <summary>The options of an architecture that keeps a fixed number of features active: TopK and BatchTopK SAEs.</summary>
public sealed record TopKOptions
{
    /// <summary>Options keeping <paramref name="k"/> features active.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is less than 1.</exception>
    public TopKOptions(int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        K = k;
    }

    /// <summary>How many features are active per input (per row on average, for BatchTopK).</summary>
    public int K { get; }

    /// <summary>
    /// The options of a sweep's value <paramref name="value"/>, which must be a whole number: sweeps carry k as a double
    /// beside the penalties of other architectures, and a fractional k is a mistake to name rather than round away.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="value"/> is not a whole number of at least 1.</exception>
    public static TopKOptions FromSweepValue(double value) =>
        value >= 1 && value <= int.MaxValue && value == Math.Floor(value)
            ? new TopKOptions((int)value)
            : throw new ArgumentException($"k must be a whole number of at least 1; got {value}.", nameof(value));
}
