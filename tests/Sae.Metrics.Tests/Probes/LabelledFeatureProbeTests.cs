using CsCheck;
using Sae.Games.BoardState;
using Sae.Metrics.Probes;
using Sae.Metrics.Supervised;
using Sae.Metrics.Tests.Supervised;
using static TorchSharp.torch;

namespace Sae.Metrics.Tests.Probes;

public class LabelledFeatureProbeTests
{
    private static readonly FeatureLabelCriteria OneTruePositive = new(MinPrecision: 0.95, MinTruePositives: 1);

    [Fact]
    public void Predictions_match_the_hand_computed_ones_including_the_last_variant()
    {
        // On the small train split with TP ≥ 1: f0 labels element 0 at t1..t9; f2 labels element 1 at t6..t9.
        using var counts = SmallCase.Count();
        using var labels = FeatureLabels.FromCounts(counts, OneTruePositive);
        using var probe = new LabelledFeatureProbe(labels, SmallCase.Bsp());
        probe.Variants.Select(v => v.Name).Should().Equal("t=0.0", "t=0.1", "t=0.2", "t=0.3", "t=0.4", "t=0.5", "t=0.6", "t=0.7", "t=0.8", "t=0.9", "last");
        probe.Variants[10].Selectable.Should().BeFalse();

        using var test = tensor(new[,]
        {
            { 0.35f, 5, 0 },   // f0 level 4: element 0 at t1..t3; last: t3. f1 is dead: ignored.
            { 0, 0, 0.95f },   // f2 level 10: element 1 at t6..t9; last: t9.
            { 0, 0, 0.55f },   // f2 level 6: no label below t6; last: none.
            { 1.5f, 0, 0 },    // f0 above its maximum, level 11: element 0 at t1..t9; last: t9 (no label at t10).
        });
        using var predicted = probe.Predict(test);
        predicted.shape.Should().Equal(4, 11, 3);
        string Row(int x) => string.Concat(Enumerable.Range(0, 11).Select(k =>
            string.Concat(Enumerable.Range(0, 3).Select(e => predicted[x, k, e].item<bool>() ? '1' : '0')) + " "));
        Row(0).Should().Be("000 100 100 100 000 000 000 000 000 000 100 ");
        Row(1).Should().Be("000 000 000 000 000 000 010 010 010 010 010 ");
        Row(2).Should().Be("000 000 000 000 000 000 000 000 000 000 000 ");
        Row(3).Should().Be("000 100 100 100 100 100 100 100 100 100 100 ");
    }

    [Fact]
    public void The_fast_predictions_equal_the_plain_definition_on_random_inputs()
    {
        var criteria = new FeatureLabelCriteria(MinPrecision: 0.5, MinTruePositives: 1);
        var gen = from train in SupervisedCountsTests.RandomInputs
                  from test in Gen.Float[0f, 2.5f].Array2D[Gen.Int[1, 20], Gen.Const(train.Acts.GetLength(1))]
                  select (train, test);
        gen.Sample(input =>
        {
            using var acts = tensor(input.train.Acts);
            using var trainLabels = tensor(input.train.Labels);
            using var counts = SupervisedCounts.Count(acts, trainLabels, FeatureMaxima.Compute(acts));
            using var labels = FeatureLabels.FromCounts(counts, criteria);
            var s = input.train.Labels.GetLength(1);
            using var probe = new LabelledFeatureProbe(labels, new BspSlice("all", 0, new BoardStateShape(1, 1, s)));
            using var test = tensor(input.test);
            using var fast = probe.Predict(test);
            var (tp, on, _) = PlainSupervised.Count(input.train.Acts, input.train.Labels, [.. counts.Maxima.Maxima]);
            var plain = PlainSupervised.Predict(input.test, [.. counts.Maxima.Maxima], PlainSupervised.Labels(tp, on, criteria));
            fast.data<bool>().ToArray().Should().Equal(plain.Cast<bool>());
        }, iter: 100);
    }

    [Fact]
    public void The_probe_of_one_bsp_uses_only_that_bsps_labels_for_the_last_variant()
    {
        // f0 labels element 0 at t1..t9 and nothing in element 1..2; a probe of element 1 alone predicts nothing from f0.
        using var counts = SmallCase.Count();
        using var labels = FeatureLabels.FromCounts(counts, OneTruePositive);
        using var probe = new LabelledFeatureProbe(labels, new BspSlice("s1", 1, new BoardStateShape(1, 1, 1)));
        using var test = tensor(new[,] { { 1.5f, 0, 0 } });
        using var predicted = probe.Predict(test);
        predicted.any().item<bool>().Should().BeFalse();
    }
}
