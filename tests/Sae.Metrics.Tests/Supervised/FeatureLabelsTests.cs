using CsCheck;
using Sae.Metrics.Supervised;
using static TorchSharp.torch;

namespace Sae.Metrics.Tests.Supervised;

public class FeatureLabelsTests
{
    [Fact]
    public void A_feature_labels_an_element_at_precision_095_with_10_true_positives_and_not_below()
    {
        // Feature 0 is on (value 1) at 20 positions: element 0 true at 19 (precision 0.95),
        // element 1 at 18 (0.9). Feature 1 is on at 9 positions, all with element 2 (precision 1, TP 9).
        var acts = new float[20, 2];
        var labels = new byte[20, 3];
        for (var x = 0; x < 20; x++)
        {
            acts[x, 0] = 1;
            labels[x, 0] = (byte)(x < 19 ? 1 : 0);
            labels[x, 1] = (byte)(x < 18 ? 1 : 0);
            if (x < 9) { acts[x, 1] = 1; labels[x, 2] = 1; }
        }
        using var a = tensor(acts);
        using var g = tensor(labels);
        using var counts = SupervisedCounts.Count(a, g, FeatureMaxima.Compute(a));
        using var reference = FeatureLabels.FromCounts(counts);
        var t0 = reference.Labels.select(1, 0);
        t0.select(0, 0).data<bool>().ToArray().Should().Equal(true, false, false);
        t0.select(0, 1).data<bool>().ToArray().Should().OnlyContain(label => !label, "9 true positives are fewer than 10");
        // Nothing exceeds its maximum: no label at t = 1.0; at 0.1 … 0.9 the same as at 0.
        reference.CountPerThreshold().Should().Equal(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0);

        using var relaxed = FeatureLabels.FromCounts(counts, new FeatureLabelCriteria(MinPrecision: 0.9, MinTruePositives: 9));
        // Feature 1 is on only where elements 0, 1 and 2 are all true: precision 1, TP 9 for each.
        relaxed.Labels.select(1, 0).data<bool>().ToArray().Should().Equal(true, true, false, true, true, true);
    }

    [Fact]
    public void The_fast_labels_equal_the_plain_definition_on_random_inputs()
    {
        var criteria = new FeatureLabelCriteria(MinPrecision: 0.5, MinTruePositives: 2);
        SupervisedCountsTests.RandomInputs.Sample(input =>
        {
            using var acts = tensor(input.Acts);
            using var labels = tensor(input.Labels);
            using var counts = SupervisedCounts.Count(acts, labels, FeatureMaxima.Compute(acts));
            using var fast = FeatureLabels.FromCounts(counts, criteria);
            var (tp, on, _) = PlainSupervised.Count(input.Acts, input.Labels, [.. counts.Maxima.Maxima]);
            var plain = PlainSupervised.Labels(tp, on, criteria);
            (fast.Labels.numel() == 0 ? [] : fast.Labels.data<bool>().ToArray()).Should().Equal(plain.Cast<bool>());
        }, iter: 100);
    }
}
