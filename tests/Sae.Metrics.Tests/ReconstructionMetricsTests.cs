using Sae.Core.Activations;
using Sae.Core.Autoencoders;
using Sae.Metrics.Unsupervised;
using static TorchSharp.torch;

namespace Sae.Metrics.Tests;

public class ReconstructionMetricsTests
{
    /// <summary>d = F = 2 with identity weights and zero biases: f = ReLU(x), x̂ = f.</summary>
    private static StandardSae IdentityRelu()
    {
        var sae = new StandardSae(2, 2);
        using var noGrad = no_grad();
        sae.W_enc.copy_(eye(2));
        sae.W_dec.copy_(eye(2));
        sae.b_enc.zero_();
        sae.b_dec.zero_();
        return sae;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(100)]
    public void Metrics_match_the_hand_computed_values_whatever_the_batch_size(int batchSize)
    {
        using var sae = IdentityRelu();
        using var source = new InMemoryActivations(new float[,] { { 1, -1 }, { 2, 3 } });
        var metrics = ReconstructionMetrics.Measure(sae, source, batchSize);
        // f = [[1, 0], [2, 3]]: L0 = 1.5. Residual [[0, −1], [0, 0]]: MSE = 1/4.
        // Var(residual) = 0 + 0.25; Var(x) = 0.25 + 4; FVE = 1 − 0.25 / 4.25.
        metrics.Samples.Should().Be(2);
        metrics.L0.Should().Be(1.5);
        metrics.Mse.Should().BeApproximately(0.25, 1e-12);
        metrics.FractionOfVarianceExplained.Should().BeApproximately(1 - 0.25 / 4.25, 1e-12);
        metrics.AliveFeatures.Should().Be(2);
        metrics.DeadFeatures.Should().Be(0);
        // Feature 0 fires on 2 of 2 rows (density 1), feature 1 on 1 of 2 (0.5): both in the top decade.
        metrics.DensityHistogram.Should().Equal(0, 0, 0, 0, 0, 0, 0, 0, 2);
    }

    [Theory]
    [InlineData(0, 100, 0)]
    [InlineData(1, 100_000_000, 1)]
    [InlineData(1, 10_000_000, 2)]
    [InlineData(99, 1_000_000, 4)]
    [InlineData(9, 1_000_000, 3)]
    [InlineData(1, 10, 8)]
    [InlineData(9, 100, 7)]
    [InlineData(10, 10, 8)]
    public void Density_bins_are_decades_with_dead_and_very_rare_features_apart(long fired, long samples, int bin) =>
        ReconstructionMetrics.DensityBin(fired, samples).Should().Be(bin);

    [Fact]
    public void A_feature_that_never_fires_is_dead()
    {
        using var sae = IdentityRelu();
        using var source = new InMemoryActivations(new float[,] { { 1, -1 }, { 2, -3 } });
        var metrics = ReconstructionMetrics.Measure(sae, source);
        metrics.AliveFeatures.Should().Be(1);
        metrics.DeadFeatures.Should().Be(1);
        metrics.DensityHistogram[0].Should().Be(1);
    }

    [Fact]
    public void Activations_of_another_dimension_are_refused()
    {
        using var sae = IdentityRelu();
        using var source = new InMemoryActivations(new float[3, 5]);
        var measure = () => ReconstructionMetrics.Measure(sae, source);
        measure.Should().Throw<ArgumentException>().WithMessage("*d = 2; the activations have d = 5*");
    }
}
