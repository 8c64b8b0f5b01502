using Sae.Core.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Sae.Metrics.Supervised;

/// <summary>
/// The bootstrap interval of coverage over the games of its (train) split (<see cref="Coverage.Intervals"/>).
/// Coverage takes, for each threshold and element, the best of all alive features. Each resample keeps the feature
/// that is best on the whole split (the first of equals), recounts it on the drawn games, and takes the mean over
/// elements and the best threshold, as coverage does. The features' maxima (which set the thresholds) are those of
/// the whole split.
/// </summary>
/// <remarks>
/// Choosing the best feature again in each resample would measure something else: a resample repeats games, so the
/// feature that fits its repeated games best scores above what it scores on the whole split, and the mean over hundreds
/// of elements of that gain moves every resample up by more than their spread. An interval of such resamples lay above
/// its own point estimate (0.117 [0.119, 0.133] on a chess run). The interval here is the spread over games of the
/// coverage of the features coverage chose; the threshold is still chosen per resample, as board reconstruction's is.
/// <para>
/// The interval is then centred on the estimate: the percentiles of the resamples, moved by the estimate's distance from
/// their mean. Coverage is a mean over every element of the property, rare ones included, and a draw with replacement
/// leaves each game out about a third of the time: an element seen in one game then scores 0, and with many such elements
/// (chess pieces on unusual squares) every resample fell below the estimate (0.135 [0.118, 0.133] on a chess run). That
/// shortfall is the resampling's, not the estimate's uncertainty; the resamples' spread is kept, their offset is not.
/// </para>
/// </remarks>
internal static class CoverageBootstrap
{
    private const int T = ReferenceThresholds.Count;

    /// <summary>Resamples per product, which bounds memory: [resamples, 11 · elements] float64 at a time.</summary>
    private const int ResamplesPerChunk = 100;

    public static IReadOnlyList<ConfidenceInterval> Intervals(Tensor acts_NF, Tensor labels_NS, IReadOnlyList<int> rowsPerGame, SupervisedCounts counts,
        IReadOnlyList<BspSlice> bsps, BootstrapOptions options, CancellationToken cancellationToken)
    {
        options.Check();
        GameBootstrap.CheckRows(rowsPerGame, acts_NF.shape[0]);
        var alive = counts.TruePositives.shape[0];
        if (alive == 0) return [.. bsps.Select(_ => new ConfidenceInterval(0, 0))]; // no feature covers anything, in any resample
        using var noGrad = no_grad();
        using var outer = NewDisposeScope();
        var picks = bsps.Select(b => BestFeatures(counts, b)).ToList();
        var games = rowsPerGame.Count;
        var truePositives = bsps.Select(b => zeros([games, T * b.Shape.Size], float64)).ToList();
        var onCounts = bsps.Select(b => zeros([games, T * b.Shape.Size], float64)).ToList();
        var positives = bsps.Select(b => zeros([games, b.Shape.Size], float64)).ToList();
        long start = 0;
        for (var g = 0; g < games; g++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rows = rowsPerGame[g];
            if (rows == 0) continue;
            using var scope = NewDisposeScope();
            using var game = SupervisedCounts.Count(acts_NF.narrow(0, start, rows), labels_NS.narrow(0, start, rows), counts.Maxima, cancellationToken: cancellationToken);
            for (var i = 0; i < bsps.Count; i++)
            {
                var size = bsps[i].Shape.Size;
                var tp = game.TruePositives.narrow(2, bsps[i].Offset, size).gather(0, picks[i]);
                var on = game.OnCounts.unsqueeze(2).expand(alive, T, size).gather(0, picks[i]);
                truePositives[i][g].copy_(tp.reshape(-1).to(float64).cpu());
                onCounts[i][g].copy_(on.reshape(-1).to(float64).cpu());
                positives[i][g].copy_(game.Positives.narrow(0, bsps[i].Offset, size).to(float64).cpu());
            }
            start += rows;
        }
        using var weights = GameBootstrap.Multiplicities(games, options);
        using var once = ones(1, games, float64);
        return [.. bsps.Select((b, i) => Centred(
            Resampled(weights, truePositives[i], onCounts[i], positives[i], b),
            Resampled(once, truePositives[i], onCounts[i], positives[i], b)[0], options.Level))];
    }

    /// <summary>
    /// The percentile interval of <paramref name="resampled"/> moved by the estimate's distance from the resamples' mean
    /// (the resampling's own bias taken out), within [0, 1].
    /// </summary>
    private static ConfidenceInterval Centred(IReadOnlyList<double> resampled, double estimate, double level)
    {
        var percentile = GameBootstrap.Percentile(resampled, level);
        var shift = estimate - resampled.Average();
        return new ConfidenceInterval(Math.Clamp(percentile.Low + shift, 0, 1), Math.Clamp(percentile.High + shift, 0, 1));
    }

    /// <summary>
    /// Coverage of each resample of <paramref name="weights"/> [resamples, games] (how often each game is drawn) from the
    /// chosen features' per-game counts [games, 11 · elements]. Weights of one give the coverage of the whole split.
    /// </summary>
    internal static double[] Resampled(Tensor weights, Tensor truePositives, Tensor onCounts, Tensor positives, BspSlice bsp)
    {
        var size = bsp.Shape.Size;
        using var denominator = bsp.CoverageDenominator.ToScalar();
        var coverage = new List<double>();
        for (long start = 0; start < weights.shape[0]; start += ResamplesPerChunk)
        {
            using var scope = NewDisposeScope();
            var w = weights.narrow(0, start, Math.Min(ResamplesPerChunk, weights.shape[0] - start));
            var b = w.shape[0];
            var tp = w.mm(truePositives).view(b, T, size);
            var on = w.mm(onCounts).view(b, T, size);
            var p = w.mm(positives).view(b, 1, size);
            var f1 = ReferenceF1.Of(tp / on.add(ReferenceF1.EpsilonScalar, Scalars.One), tp / p.add(ReferenceF1.EpsilonScalar, Scalars.One));
            coverage.AddRange(HostArray.Of<double>(f1.sum([2]).div_(denominator).amax([1])));
        }
        return [.. coverage];
    }

    /// <summary>
    /// For each threshold and element of <paramref name="bsp"/>, the alive feature of highest F1 on the whole split, the first
    /// of equals: int64 [1, 11, elements].
    /// </summary>
    private static Tensor BestFeatures(SupervisedCounts counts, BspSlice bsp, int featuresPerChunk = 256)
    {
        var size = bsp.Shape.Size;
        var device = counts.TruePositives.device;
        var positives = counts.Positives.narrow(0, bsp.Offset, size).to(float64);
        // F1 is never negative, so feature 0 with F1 0 is the first of equals wherever no feature scores above 0.
        var best = zeros([T, size], float64, device);
        var bestFeature = zeros([T, size], int64, device);
        var alive = counts.TruePositives.shape[0];
        for (long start = 0; start < alive; start += featuresPerChunk)
        {
            using var scope = NewDisposeScope();
            var length = Math.Min(featuresPerChunk, alive - start);
            var (top, at) = Coverage.FeatureF1(counts, bsp, positives, start, length).max(0);
            using var first = start.ToScalar();
            // Strictly greater: an earlier chunk's feature keeps an element it ties on (max takes the first of equals within a chunk).
            var better = top.gt(best);
            best.copy_(where(better, top, best));
            bestFeature.copy_(where(better, at.add(first, Scalars.One), bestFeature));
        }
        return bestFeature.unsqueeze(0);
    }
}
