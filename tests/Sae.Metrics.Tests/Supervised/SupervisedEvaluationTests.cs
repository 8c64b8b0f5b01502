using Sae.Games.BoardState;
using Sae.Metrics.Supervised;
using static TorchSharp.torch;

namespace Sae.Metrics.Tests.Supervised;

public class SupervisedEvaluationTests
{
    [Fact]
    public void Each_bsp_is_scored_on_its_own_columns()
    {
        // 60 positions. Columns 0..1: a 1x1x2 one-hot BSP (class x % 2); column 2: a binary BSP, true when x % 3 == 0.
        // Feature 0 fires exactly on class 0, feature 1 on class 1, feature 2 on the binary BSP; feature 3 never.
        const int n = 60;
        var acts = new float[n, 4];
        var labels = new byte[n, 3];
        for (var x = 0; x < n; x++)
        {
            acts[x, x % 2] = 1;
            labels[x, x % 2] = 1;
            if (x % 3 == 0) { acts[x, 2] = 2; labels[x, 2] = 1; }
        }
        using var a = tensor(acts);
        using var g = tensor(labels);
        BspSlice[] bsps = [new("one_hot", 0, new BoardStateShape(1, 1, 2)), new("binary", 2, new BoardStateShape(1, 1, 1))];
        var result = SupervisedEvaluation.Run(a, g, a, g, bsps);
        result.AliveFeatures.Should().Be(3);
        result.FeatureCount.Should().Be(4);
        result.Bsps.Select(b => b.Coverage.Bsp).Should().Equal("one_hot", "binary");
        foreach (var b in result.Bsps)
        {
            b.Coverage.Coverage.Should().BeApproximately(1, 1e-7);
            b.Reconstruction.F1.Should().BeApproximately(1, 1e-7);
            b.BestThreshold.Should().Be(0);
        }
    }

    [Fact]
    public void A_feature_only_ever_negative_or_zero_is_alive_as_in_the_reference_but_never_on()
    {
        // 40 positions of a 1x1x2 one-hot BSP (class x % 2). Feature 0 fires exactly on class 0; feature 1,
        // like a GELU neuron below zero, is -0.1 on class 1 and 0 elsewhere; feature 2 is always 0.
        const int n = 40;
        var acts = new float[n, 3];
        var labels = new byte[n, 2];
        for (var x = 0; x < n; x++)
        {
            labels[x, x % 2] = 1;
            if (x % 2 == 0) acts[x, 0] = 1;
            else acts[x, 1] = -0.1f;
        }
        using var a = tensor(acts);
        using var g = tensor(labels);
        var result = SupervisedEvaluation.Run(a, g, a, g, [new BspSlice("one_hot", 0, new BoardStateShape(1, 1, 2))]);
        result.AliveFeatures.Should().Be(2, "the reference counts a feature alive when it is non-zero once");
        FeatureMaxima.Compute(a).AliveFeatures.Should().Equal(0, 1);
        // Feature 1 labels nothing and predicts nothing: class 0 is covered (F1 1), class 1 is not (0).
        result.Bsps[0].Coverage.Coverage.Should().BeApproximately(0.5, 1e-7);
        var reconstruction = result.Bsps[0].Reconstruction;
        reconstruction.RecallPerClass[reconstruction.BestVariant].Should().BeApproximately(0.5, 1e-7);
    }

    [Fact]
    public void Splits_of_different_widths_are_refused()
    {
        using var train = ones(4, 3);
        using var test = ones(4, 2);
        using var labels = zeros(4, 1, ScalarType.Byte);
        FluentActions.Invoking(() => SupervisedEvaluation.Run(train, labels, test, labels, [new BspSlice("b", 0, new BoardStateShape(1, 1, 1))]))
            .Should().Throw<ArgumentException>().WithMessage("*2 features; the train activations have 3*");
    }
}
