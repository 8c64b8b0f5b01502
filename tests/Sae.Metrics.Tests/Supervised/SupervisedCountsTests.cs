using CsCheck;
using Sae.Metrics.Supervised;
using static TorchSharp.torch;

namespace Sae.Metrics.Tests.Supervised;

public class SupervisedCountsTests
{
    [Fact]
    public void The_thresholds_are_the_references_float32_values()
    {
        ReferenceThresholds.Values.Should().HaveCount(11);
        ReferenceThresholds.Values[3].Should().Be(0.3f);
        ReferenceThresholds.Values[10].Should().Be(1.0f);
    }

    [Fact]
    public void Maxima_come_from_the_activations_and_a_feature_that_never_fires_is_not_alive()
    {
        using var acts = tensor(SmallCase.Acts);
        var maxima = FeatureMaxima.Compute(acts);
        maxima.Maxima.Should().Equal(1f, 0f, 1f);
        maxima.AliveFeatures.Should().Equal(0, 2);
    }

    [Theory]
    [InlineData(1 << 22, 1 << 24)]
    [InlineData(3, 1 << 24)] // one position per chunk
    [InlineData(3, 1)] // one position per chunk and per product
    public void Counts_match_the_hand_computed_values(long valuesPerChunk, long entriesPerProduct)
    {
        using var counts = SmallCase.Count(valuesPerChunk, entriesPerProduct);
        counts.Positions.Should().Be(4);
        counts.Positives.data<long>().ToArray().Should().Equal(2, 1, 0);
        var on = SmallCase.ToArray2(counts.OnCounts);
        var tp = SmallCase.ToArray3(counts.TruePositives);
        // f0 (alive 0): levels 10, 5, 1, 1. The tie 0.5 at t = 0.5 and 0.1 at t = 0.1 are off.
        long[] f0On = [4, 2, 2, 2, 2, 1, 1, 1, 1, 1, 0];
        long[] f0s0 = [2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 0];
        long[] f0s1 = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        // f2 (alive 1): levels 5, 0, 10, 6.
        long[] f2On = [3, 3, 3, 3, 3, 2, 1, 1, 1, 1, 0];
        long[] f2s0 = [1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0];
        long[] f2s1 = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0];
        for (var k = 0; k < 11; k++)
        {
            (on[0, k], tp[0, k, 0], tp[0, k, 1], tp[0, k, 2]).Should().Be((f0On[k], f0s0[k], f0s1[k], 0), $"f0 at threshold {k}");
            (on[1, k], tp[1, k, 0], tp[1, k, 1], tp[1, k, 2]).Should().Be((f2On[k], f2s0[k], f2s1[k], 0), $"f2 at threshold {k}");
        }
    }

    [Fact]
    public void Nothing_is_counted_when_no_feature_is_alive()
    {
        using var acts = zeros(5, 4);
        using var labels = ones(5, 2, ScalarType.Byte);
        using var counts = SupervisedCounts.Count(acts, labels, FeatureMaxima.Compute(acts));
        counts.TruePositives.shape.Should().Equal(0, 11, 2);
        counts.Positives.data<long>().ToArray().Should().Equal(5, 5);
    }

    [Fact]
    public void Bad_inputs_are_refused_with_a_message_that_names_them()
    {
        using var acts = tensor(SmallCase.Acts);
        var maxima = FeatureMaxima.Compute(acts);
        using var twoLabels = ones(2, 3, ScalarType.Byte);
        using var two = full(4, 3, 2, ScalarType.Byte);
        using var nan = tensor(new[,] { { float.NaN, 1f } });
        using var good = tensor(SmallCase.Labels);
        FluentActions.Invoking(() => SupervisedCounts.Count(acts, twoLabels, maxima)).Should().Throw<ArgumentException>().WithMessage("*2 rows of labels for 4 rows*");
        FluentActions.Invoking(() => SupervisedCounts.Count(acts, two, maxima)).Should().Throw<ArgumentException>().WithMessage("*0 or 1*");
        FluentActions.Invoking(() => FeatureMaxima.Compute(nan)).Should().Throw<ArgumentException>().WithMessage("*NaN*");
        FluentActions.Invoking(() => SupervisedCounts.Count(acts, good, new FeatureMaxima([1f, 1f]))).Should().Throw<ArgumentException>().WithMessage("*3 features*of 2*");
    }

    /// <summary>Random sparse activations, some exactly on a threshold, and random 0/1 labels.</summary>
    internal static readonly Gen<(float[,] Acts, byte[,] Labels)> RandomInputs =
        from n in Gen.Int[1, 40]
        from f in Gen.Int[1, 9]
        from s in Gen.Int[1, 6]
        from acts in Gen.Select(Gen.Int[0, 3], Gen.Int[0, 10], Gen.Float[0.01f, 2f], (kind, k, v) =>
            kind switch { 0 or 1 => 0f, 2 => ReferenceThresholds.Absolute(k, 2f), _ => v }).Array2D[n, f]
        from labels in Gen.Byte[0, 1].Array2D[n, s]
        select (acts, labels);

    [Fact]
    public void The_fast_counts_equal_the_plain_loops_on_random_inputs()
    {
        RandomInputs.Sample(input =>
        {
            using var acts = tensor(input.Acts);
            using var labels = tensor(input.Labels);
            var maxima = FeatureMaxima.Compute(acts);
            using var counts = SupervisedCounts.Count(acts, labels, maxima, valuesPerChunk: 7, entriesPerProduct: 5);
            var (tp, on, positives) = PlainSupervised.Count(input.Acts, input.Labels, [.. maxima.Maxima]);
            SmallCase.ToArray3(counts.TruePositives).Should().BeEquivalentTo(tp);
            SmallCase.ToArray2(counts.OnCounts).Should().BeEquivalentTo(on);
            counts.Positives.data<long>().ToArray().Should().Equal(positives);
        }, iter: 200);
    }
}
