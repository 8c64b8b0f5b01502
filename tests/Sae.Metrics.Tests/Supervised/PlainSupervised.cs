using Sae.Metrics.Supervised;

namespace Sae.Metrics.Tests.Supervised;

/// <summary>
/// The supervised metrics written as the plain loops of their definitions (docs/reference.md §4), used only to
/// check the fast paths on random inputs.
/// </summary>
internal static class PlainSupervised
{
    private const int T = ReferenceThresholds.Count;

    public static bool On(float activation, float maximum, int k) => activation > ReferenceThresholds.Absolute(k, maximum);

    /// <summary>TP [alive, T, S], N_on [alive, T], P [S].</summary>
    public static (long[,,] TruePositives, long[,] OnCounts, long[] Positives) Count(float[,] acts, byte[,] labels, float[] maxima)
    {
        var alive = Enumerable.Range(0, maxima.Length).Where(i => maxima[i] > 0).ToArray();
        var n = acts.GetLength(0);
        var s = labels.GetLength(1);
        var tp = new long[alive.Length, T, s];
        var on = new long[alive.Length, T];
        var positives = new long[s];
        for (var x = 0; x < n; x++)
        {
            for (var e = 0; e < s; e++) positives[e] += labels[x, e];
            for (var a = 0; a < alive.Length; a++)
                for (var k = 0; k < T; k++)
                {
                    if (!On(acts[x, alive[a]], maxima[alive[a]], k)) continue;
                    on[a, k]++;
                    for (var e = 0; e < s; e++) tp[a, k, e] += labels[x, e];
                }
        }
        return (tp, on, positives);
    }

    /// <summary>Labels [alive, T, S] of the counts.</summary>
    public static bool[,,] Labels(long[,,] tp, long[,] on, FeatureLabelCriteria criteria)
    {
        var labels = new bool[tp.GetLength(0), T, tp.GetLength(2)];
        for (var a = 0; a < tp.GetLength(0); a++)
            for (var k = 0; k < T; k++)
                for (var e = 0; e < tp.GetLength(2); e++)
                    labels[a, k, e] = on[a, k] > 0 && (double)tp[a, k, e] / on[a, k] >= criteria.MinPrecision && tp[a, k, e] >= criteria.MinTruePositives;
        return labels;
    }

    /// <summary>Predictions [N, T, S] of the labelled features: slots 0 … 9 ordinary thresholds, slot 10 the "last" variant.</summary>
    public static bool[,,] Predict(float[,] acts, float[] maxima, bool[,,] labels)
    {
        var alive = Enumerable.Range(0, maxima.Length).Where(i => maxima[i] > 0).ToArray();
        var n = acts.GetLength(0);
        var s = labels.GetLength(2);
        var predicted = new bool[n, T, s];
        for (var x = 0; x < n; x++)
            for (var a = 0; a < alive.Length; a++)
            {
                var activation = acts[x, alive[a]];
                for (var k = 0; k < ReferenceThresholds.Ordinary; k++)
                    if (On(activation, maxima[alive[a]], k))
                        for (var e = 0; e < s; e++) predicted[x, k, e] |= labels[a, k, e];
                var last = -1;
                for (var k = 0; k < T; k++)
                    if (On(activation, maxima[alive[a]], k) && Enumerable.Range(0, s).Any(e => labels[a, k, e])) last = k;
                if (last >= 0)
                    for (var e = 0; e < s; e++) predicted[x, T - 1, e] |= labels[a, last, e];
            }
        return predicted;
    }
}
