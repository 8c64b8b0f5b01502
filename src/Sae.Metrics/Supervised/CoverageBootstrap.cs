using Sae.Core.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Sae.Metrics.Supervised;

/// <summary>
/// The bootstrap interval of coverage over the games of its (train) split (<see cref="Coverage.Intervals"/>).
/// Coverage takes, for each threshold and element, the best of all alive features; recounting every feature
/// in every resample would cost a full count each, so each (threshold, element) keeps its few best features
/// on the whole split as candidates, the candidates' counts are kept per game, and each resample takes the
/// best candidate of its own counts, then the mean over elements and the best threshold, as coverage does.
/// The features' maxima (which set the thresholds) are those of the whole split.
/// </summary>
internal static class CoverageBootstrap
{
    private const int T = ReferenceThresholds.Count;

    /// <summary>Resamples per product, which bounds memory: [resamples, candidates · 11 · elements] float64 at a time.</summary>
    private const int ResamplesPerChunk = 100;

    public static IReadOnlyList<ConfidenceInterval> Intervals(Tensor acts_NF, Tensor labels_NS, IReadOnlyList<int> rowsPerGame, SupervisedCounts counts,
        IReadOnlyList<BspSlice> bsps, BootstrapOptions options, int candidates, CancellationToken cancellationToken)
    {
        options.Check();
        ArgumentOutOfRangeException.ThrowIfLessThan(candidates, 1);
        GameBootstrap.CheckRows(rowsPerGame, acts_NF.shape[0]);
        var alive = counts.TruePositives.shape[0];
        if (alive == 0) return [.. bsps.Select(_ => new ConfidenceInterval(0, 0))]; // no feature covers anything, in any resample
        using var noGrad = no_grad();
        using var outer = NewDisposeScope();
        var k = (int)Math.Min(candidates, alive);
        var picks = bsps.Select(b => Candidates(counts, b, k)).ToList();
        var games = rowsPerGame.Count;
        var truePositives = bsps.Select(b => zeros([games, k * T * b.Shape.Size], float64)).ToList();
        var onCounts = bsps.Select(b => zeros([games, k * T * b.Shape.Size], float64)).ToList();
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
        return [.. bsps.Select((b, i) => GameBootstrap.Percentile(Resampled(weights, truePositives[i], onCounts[i], positives[i], b, k), options.Level))];
    }

    /// <summary>
    /// Coverage of each resample of <paramref name="weights"/> [resamples, games] (how often each game is drawn) from the
    /// candidates' per-game counts. Weights of one give the coverage of the whole split, when the candidates hold each best feature.
    /// </summary>
    internal static double[] Resampled(Tensor weights, Tensor truePositives, Tensor onCounts, Tensor positives, BspSlice bsp, int k)
    {
        var size = bsp.Shape.Size;
        using var denominator = bsp.CoverageDenominator.ToScalar();
        var coverage = new List<double>();
        for (long start = 0; start < weights.shape[0]; start += ResamplesPerChunk)
        {
            using var scope = NewDisposeScope();
            var w = weights.narrow(0, start, Math.Min(ResamplesPerChunk, weights.shape[0] - start));
            var b = w.shape[0];
            var tp = w.mm(truePositives).view(b, k, T, size);
            var on = w.mm(onCounts).view(b, k, T, size);
            var p = w.mm(positives).view(b, 1, 1, size);
            var f1 = ReferenceF1.Of(tp / on.add(ReferenceF1.EpsilonScalar, Scalars.One), tp / p.add(ReferenceF1.EpsilonScalar, Scalars.One));
            coverage.AddRange(HostArray.Of<double>(f1.amax([1]).sum([2]).div_(denominator).amax([1])));
        }
        return [.. coverage];
    }

    /// <summary>For each threshold and element of <paramref name="bsp"/>, the <paramref name="k"/> alive features of highest F1 on the whole split: int64 [k, 11, elements].</summary>
    private static Tensor Candidates(SupervisedCounts counts, BspSlice bsp, int k, int featuresPerChunk = 256)
    {
        var size = bsp.Shape.Size;
        var device = counts.TruePositives.device;
        var positives = counts.Positives.narrow(0, bsp.Offset, size).to(float64);
        Tensor? best = null, bestFeature = null;
        var alive = counts.TruePositives.shape[0];
        for (long start = 0; start < alive; start += featuresPerChunk)
        {
            using var scope = NewDisposeScope();
            var length = Math.Min(featuresPerChunk, alive - start);
            var f1 = Coverage.FeatureF1(counts, bsp, positives, start, length);
            using var first = start.ToScalar();
            using var end = (start + length).ToScalar();
            var feature = arange(first, end, Scalars.One, int64, device).view(length, 1, 1).expand(length, T, size);
            var values = best is null ? f1 : cat([best, f1]);
            var features = bestFeature is null ? feature : cat([bestFeature, feature]);
            var (top, at) = values.topk(Math.Min(k, (int)values.shape[0]), dim: 0);
            // Kept in the caller's scope; the previous chunk's stay there too, small, until it ends.
            best = top.MoveToOuterDisposeScope();
            bestFeature = features.gather(0, at).MoveToOuterDisposeScope();
        }
        return bestFeature!;
    }
}
