namespace Sae.Metrics.Supervised;

/// <summary>The index of the first largest value, as <c>torch.argmax</c> picks it.</summary>
internal static class FirstArgMax
{
    /// <summary>The first index of the largest of <paramref name="values"/> among the indices <paramref name="include"/> accepts (all by default).</summary>
    /// <exception cref="ArgumentException">No index is included.</exception>
    public static int Of(IReadOnlyList<double> values, Func<int, bool>? include = null)
    {
        var best = -1;
        for (var i = 0; i < values.Count; i++)
            if ((include is null || include(i)) && (best < 0 || values[i] > values[best])) best = i;
        return best >= 0 ? best : throw new ArgumentException("There is no value to choose from.", nameof(values));
    }
}
