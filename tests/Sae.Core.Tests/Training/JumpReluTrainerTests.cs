using Sae.Core.Autoencoders;
using Sae.Core.Training;
using static TorchSharp.torch;

namespace Sae.Core.Tests.Training;

/// <summary>Direct JumpReLU training: exact gradients where they exist, the straight-through threshold gradient, recovery.</summary>
public class JumpReluTrainerTests
{
    [Fact]
    public void Gradients_are_autograds_for_the_weights_and_the_rectangle_kernel_estimate_for_the_threshold()
    {
        const double penalty = 0.2, bandwidth = 0.4;
        using var generator = new Generator(31, CPU);
        using var x = randn(40, 10, generator: generator);
        using var sae = new JumpReluSae(10, 24, seed: 6);
        using var trainer = new JumpReluTrainer(sae, penalty, bandwidth: bandwidth);
        using (no_grad())
        {
            sae.b_dec.copy_(randn(10, generator: generator).mul_(0.1));
            sae.b_enc.copy_(randn(24, generator: generator).mul_(0.2));
            sae.threshold.copy_(rand(24, generator: generator).mul_(0.5));
        }
        var result = trainer.ComputeGradients(x, 1.0, penalty, null);
        var manual = sae.Parameters.ToDictionary(kv => kv.Key, kv => kv.Value.grad!.clone());

        // The weights and biases: autograd of the reconstruction loss (the L0 term has no gradient but through θ).
        using var reference = new JumpReluSae(10, 24);
        GradientAssert.CopyParameters(sae, reference);
        using var scope = NewDisposeScope();
        var f = reference.Encode(x);
        var reconstruction = (x - reference.Decode(f)).pow(2).sum(1).mean();
        reconstruction.backward();
        foreach (var name in new[] { "W_enc", "b_enc", "W_dec", "b_dec" })
        {
            var difference = (manual[name] - reference.Parameters[name].grad!).abs().max().item<float>();
            difference.Should().BeLessThanOrEqualTo(1e-5f * Math.Max(1f, reference.Parameters[name].grad!.abs().max().item<float>()), name);
        }
        var l0 = f.detach().gt(0).sum().item<long>() / 40.0;
        result.L0.Should().Be(l0);
        result.Loss.Should().BeApproximately(reconstruction.item<float>() + penalty * l0, 1e-4);

        // The threshold, element by element from the formula: −(1/ε) Σ_b K((pre − θ)/ε) (θ ∂L/∂f + λ/B).
        var pre = (x - sae.b_dec).matmul(sae.W_enc).add(sae.b_enc).data<float>().ToArray();
        var residual = reference.Decode(f).detach() - x;
        var dF = residual.mul(2.0 / 40).matmul(sae.W_dec.t()).data<float>().ToArray();
        var theta = sae.threshold.data<float>().ToArray();
        var expected = new double[24];
        for (var b = 0; b < 40; b++)
            for (var i = 0; i < 24; i++)
                if (Math.Abs(pre[b * 24 + i] - theta[i]) < bandwidth / 2)
                    expected[i] -= (theta[i] * dF[b * 24 + i] + penalty / 40) / bandwidth;
        expected.Count(v => v != 0).Should().BeGreaterThan(5, "the test must exercise the kernel");
        var got = manual["threshold"].data<float>().ToArray();
        for (var i = 0; i < 24; i++) got[i].Should().BeApproximately((float)expected[i], 1e-4f * Math.Max(1f, (float)Math.Abs(expected[i])), $"threshold {i}");
    }

    // λ, bandwidth and steps chosen once on this data (seed 1), where they recovered 0.875 of the atoms with L0 2.5
    // (the L0 penalty cuts some of the smallest true activations, of magnitude 0.5); λ 0.05 recovered only 0.40.
    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.BFloat16)]
    public void Training_recovers_most_of_the_dictionary_and_keeps_thresholds_positive(ScalarType products)
    {
        using var data = new SyntheticDictionary(32, 48, activeProbability: 3.0 / 48, seed: 1);
        using var trainer = new JumpReluTrainer(new JumpReluSae(32, 96, seed: 1), penalty: 0.5, learningRate: 1e-3, bandwidth: 0.05, new LinearWarmup(100)) { ProductType = products };
        for (long step = 0; step < 2000; step++)
        {
            using var scope = NewDisposeScope();
            trainer.Step(data.Sample(256), step);
        }
        var sae = (JumpReluSae)trainer.Sae;
        data.Recovered(sae.W_dec).Should().BeGreaterThanOrEqualTo(0.8);
        sae.threshold.min().item<float>().Should().BeGreaterThan(0);
        sae.threshold.max().item<float>().Should().BeGreaterThan((float)JumpReluTrainer.InitialThreshold, "the thresholds learn");
        using var sample = data.Sample(2000);
        using var features = sae.Encode(sample);
        var l0 = features.gt(0).sum().item<long>() / 2000.0;
        l0.Should().BeInRange(2, 4, "about three atoms are active per sample");
    }

    [Fact]
    public void Bad_settings_are_refused()
    {
        using var sae = new JumpReluSae(4, 8);
        FluentActions.Invoking(() => new JumpReluTrainer(sae, 0.1, bandwidth: 0)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*bandwidth*");
        FluentActions.Invoking(() => SaeTrainers.Create("jumprelu", 4, 8, 0.1, pAnneal: true, 10, 5, null, 1, 1)).Should().Throw<ArgumentException>().WithMessage("*p-annealing*");
    }
}
