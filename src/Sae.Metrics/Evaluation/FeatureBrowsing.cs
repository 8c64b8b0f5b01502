using Sae.Core.Native;
using Sae.Metrics.Reports;
using Sae.Metrics.Supervised;
using TorchSharp;
using static TorchSharp.torch;

namespace Sae.Metrics.Evaluation;

/// <summary>
/// Measures what the feature browser shows of an SAE on the train split: per feature its density, maximum,
/// board-specificity (largest lift) and best element by coverage's F1 (with threshold, precision and recall),
/// and whether it labels anything; for the features worth a closer look, the lift map of its class, its top
/// positions' boards, its activation histogram and its nearest decoder neighbours.
/// </summary>
public static class FeatureBrowsing
{
    /// <summary>Measures the browser's data.</summary>
    /// <param name="saeName">The SAE's name, for the page.</param>
    /// <param name="features">The SAE's activations [positions, F] on the train split, float32 on the CPU.</param>
    /// <param name="train">The train split (its labels and boards).</param>
    /// <param name="slice">An 8x8 BSP of <paramref name="train"/>.</param>
    /// <param name="decoder">The SAE's decoder rows [F, D].</param>
    /// <param name="details">How many features get a closer look: half the most board-specific, half the most precise (the rest).</param>
    /// <param name="topPositions">Boards drawn per feature.</param>
    /// <param name="bins">Histogram bins.</param>
    /// <param name="neighbours">Decoder neighbours per feature.</param>
    /// <param name="minimumOn">Features on at fewer positions have no lift (too few to say).</param>
    /// <exception cref="ArgumentException">The BSP is not 8x8, or the shapes disagree.</exception>
    public static FeatureBrowserData Measure(string saeName, Tensor features, GamePositions train, BspSlice slice, Tensor decoder,
        int details = 48, int topPositions = 8, int bins = 20, int neighbours = 5, int minimumOn = 20)
    {
        if (slice.Shape.Rows != 8 || slice.Shape.Columns != 8)
            throw new ArgumentException($"BSP {slice.Name} is {slice.Shape}; the feature browser draws 8x8 boards.", nameof(slice));
        if (features.dim() != 2 || features.shape[0] != train.Rows)
            throw new ArgumentException($"Features [{string.Join(", ", features.shape)}] must have one row per sample of the split ({train.Rows}).", nameof(features));
        if (decoder.dim() != 2 || decoder.shape[0] != features.shape[1])
            throw new ArgumentException($"Decoder [{string.Join(", ", decoder.shape)}] must have one row per feature ({features.shape[1]}).", nameof(decoder));
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var channels = slice.Shape.Channels;
        var featureCount = (int)features.shape[1];
        using var labels = train.LabelTensor();
        var lift = FeatureBoardMaps.Lift(features, labels, slice, minimumOn);                // [F, S]
        var (bestLift, bestLiftAt) = lift.max(1);
        var maxLift = HostArray.Of<float>(bestLift);
        var liftChannel = HostArray.Of<long>(bestLiftAt);
        using var rowCount = Math.Max(1, train.Rows).ToScalar();
        var density = HostArray.Of<float>(features.gt(Scalars.Zero).sum([0], type: float32).div_(rowCount));
        var maximum = HostArray.Of<float>(features.amax([0]));
        var best = BestElements(features, labels, slice);

        var summaries = Enumerable.Range(0, featureCount).Select(f =>
        {
            var b = best.TryGetValue(f, out var found) ? found : null;
            return new FeatureSummary(f, density[f], maximum[f], maxLift[f], b?.Element / channels, b is null ? 0 : b.Element % channels,
                b?.Threshold ?? 0, b?.Precision ?? 0, b?.Recall ?? 0, b?.F1 ?? 0, b?.LabelsAnything ?? false);
        }).OrderByDescending(s => s.MaxLift).ThenBy(s => s.Feature).ToList();

        var wanted = summaries.Where(s => s.MaxLift > 0).Take(details / 2).Select(s => s.Feature).ToList();
        wanted.AddRange(summaries.Where(s => s.Square is not null && !wanted.Contains(s.Feature) && s.Density * train.Rows >= minimumOn)
            .OrderByDescending(s => s.Precision).ThenByDescending(s => s.F1).Take(details - wanted.Count).Select(s => s.Feature));
        var order = summaries.Select((s, i) => (s.Feature, i)).ToDictionary(p => p.Feature, p => p.i);
        wanted = [.. wanted.OrderBy(f => order[f])];

        var baseRate = HostArray.Of<float>(labels.narrow(1, slice.Offset, slice.Shape.Size).to_type(float32).mean([0]));
        var unit = decoder.to_type(float32).cpu();
        using var tiny = 1e-12.ToScalar();
        unit = unit.div(unit.norm(1, keepdim: true).clamp_min(tiny));
        var detailList = new List<FeatureDetail>();
        foreach (var f in wanted)
        {
            using var inner = NewDisposeScope();
            var channel = (int)(liftChannel[f] % channels);
            var liftRow = HostArray.Of<float>(lift[f]);
            var mapLift = Enumerable.Range(0, 64).Select(s => (double)liftRow[s * channels + channel]).ToArray();
            var informative = Enumerable.Range(0, 64).Select(s => baseRate[s * channels + channel] is > 0 and < 1).ToArray();
            var column = features.select(1, f);
            var (values, rows) = column.topk(Math.Min(topPositions, train.Rows));
            var top = HostArray.Of<float>(values).Zip(HostArray.Of<long>(rows))
                .Where(p => p.First > 0).Select(p => new FeatureDetail.Example((int)p.Second, p.First, train.Picture((int)p.Second))).ToList();
            var histogramMax = maximum[f] > 0 ? maximum[f] : 1;
            var positive = column.masked_select(column.gt(Scalars.Zero));
            var histogram = new long[bins];
            foreach (var v in HostArray.Of<float>(positive))
                histogram[Math.Min(bins - 1, (int)(v / histogramMax * bins))]++;
            var cosine = unit.matmul(unit[f]);
            cosine[f] = tensor(float.NegativeInfinity);
            var (near, nearAt) = cosine.topk(Math.Min(neighbours, featureCount - 1));
            var nearest = HostArray.Of<float>(near).Zip(HostArray.Of<long>(nearAt)).Select(p => new FeatureDetail.Neighbour((int)p.Second, p.First)).ToList();
            detailList.Add(new FeatureDetail(f, channel, mapLift, informative, top, histogram, histogramMax, nearest));
        }
        var game = train.Picture(0).Game;
        return new FeatureBrowserData(saeName, game, slice.Name, train.Rows, summaries, detailList);
    }

    private sealed record BestElement(int Element, double Threshold, double Precision, double Recall, double F1, bool LabelsAnything);

    /// <summary>Per alive feature, its element of largest F1 over every threshold (the first on ties), and whether it labels anything.</summary>
    private static Dictionary<int, BestElement> BestElements(Tensor features, Tensor labels, BspSlice slice)
    {
        var maxima = FeatureMaxima.Compute(features);
        using var counts = SupervisedCounts.Count(features, labels, maxima);
        using var featureLabels = FeatureLabels.FromCounts(counts);
        var size = slice.Shape.Size;
        var positives = counts.Positives.narrow(0, slice.Offset, size).to(float64);
        var labelsAnything = HostArray.Of<byte>(featureLabels.Labels.narrow(2, slice.Offset, size).any(2).any(1).to_type(ScalarType.Byte));
        var result = new Dictionary<int, BestElement>();
        var alive = (int)counts.TruePositives.shape[0];
        const int chunk = 256;
        using var elementCount = size.ToScalar();
        var p = HostArray.Of<long>(counts.Positives.narrow(0, slice.Offset, size));
        for (var start = 0; start < alive; start += chunk)
        {
            using var scope = NewDisposeScope();
            var length = Math.Min(chunk, alive - start);
            var f1 = Coverage.FeatureF1(counts, slice, positives, start, length).view(length, -1);     // [length, 11 · S]
            var (bestF1, at) = f1.max(1);
            var f1s = HostArray.Of<double>(bestF1);
            var where = HostArray.Of<long>(at);
            var tp = HostArray.Of<int>(counts.TruePositives.narrow(0, start, length).narrow(2, slice.Offset, size).reshape(length, -1).gather(1, at.unsqueeze(1)).squeeze(1));
            var on = HostArray.Of<long>(counts.OnCounts.narrow(0, start, length).gather(1, at.div(elementCount, rounding_mode: RoundingMode.floor).unsqueeze(1)).squeeze(1));
            for (var i = 0; i < length; i++)
            {
                var t = (int)(where[i] / size);
                var element = (int)(where[i] % size);
                result[maxima.AliveFeatures[start + i]] = new BestElement(element, ReferenceThresholds.Values[t],
                    on[i] > 0 ? (double)tp[i] / on[i] : 0, p[element] > 0 ? (double)tp[i] / p[element] : 0, f1s[i], labelsAnything[start + i] != 0);
            }
        }
        return result;
    }
}
