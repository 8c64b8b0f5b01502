namespace Sae.Metrics.Supervised;

/// <summary>
/// The 11 activation thresholds of the supervised metrics (docs/reference.md §4): t ∈ {0, 0.1, …, 1.0},
/// as fractions of each feature's maximum. Feature i is on at threshold t iff a_i &gt; t · max_i,
/// strictly, so at t = 0 a feature is on whenever it is positive.
/// </summary>
/// <remarks>
/// Reference quirk, kept: the values are float32 (the reference builds them with
/// <c>torch.arange(0.0, 1.1, 0.1)</c>: k · 0.1 rounded to float32), and the absolute threshold
/// t · max_i is a float32 product; activations are compared with it in float32.
/// </remarks>
public static class ReferenceThresholds
{
    /// <summary>The number of thresholds, 11.</summary>
    public const int Count = 11;

    /// <summary>
    /// The ordinary thresholds among which board reconstruction chooses (0 … 0.9): the slot of
    /// t = 1.0 holds the "last" variant there.
    /// </summary>
    public const int Ordinary = 10;

    /// <summary>The thresholds, float32, in increasing order: index k holds k · 0.1.</summary>
    public static IReadOnlyList<float> Values { get; } = [.. Enumerable.Range(0, Count).Select(k => (float)(k * 0.1))];

    /// <summary>The absolute threshold of threshold <paramref name="k"/> for a feature whose maximum is <paramref name="maximum"/>, as the reference computes it (a float32 product).</summary>
    public static float Absolute(int k, float maximum) => Values[k] * maximum;
}
