using Sae.Core.Autoencoders;
using Sae.Core.Training;
using static TorchSharp.torch;

namespace Sae.Core.Tests.Training;

/// <summary>The standard trainer's hand-derived gradients against autograd on the reference loss.</summary>
public class StandardGradientTests
{
    [Theory]
    [InlineData(1.0)]
    [InlineData(0.5)]
    public void Hand_derived_gradients_equal_autograd(double p)
    {
        const double penalty = 0.07;
        using var generator = new Generator(11, CPU);
        using var x = randn(64, 16, generator: generator).mul_(2);
        using var sae = new StandardSae(16, 48, seed: 3);
        using (var noGrad = no_grad())
        {
            sae.b_dec.copy_(randn(16, generator: generator).mul_(0.1));
            sae.b_enc.copy_(randn(48, generator: generator).mul_(0.3));
        }
        using var trainer = new StandardTrainer(sae, penalty);
        var result = trainer.ComputeGradients(x, p, penalty, nextP: 0.4);
        var manual = sae.Parameters.ToDictionary(kv => kv.Key, kv => kv.Value.grad!.clone());

        // Autograd on the reference's own formula, on a copy with the same weights.
        using var reference = new StandardSae(16, 48, seed: 3);
        GradientAssert.CopyParameters(sae, reference);
        using var scope = NewDisposeScope();
        var f = reference.Encode(x);
        var xHat = reference.Decode(f);
        var reconstruction = (x - xHat).norm(1, keepdim: false, p: 2).mean();
        var sparsity = (p == 1.0 ? f : f.pow(p)).sum(1).mean();
        var loss = reconstruction + penalty * sparsity;
        loss.backward();

        result.Loss.Should().BeApproximately(loss.item<float>(), 1e-4);
        result.Reconstruction.Should().BeApproximately(reconstruction.item<float>(), 1e-5);
        result.Sparsity.Should().BeApproximately(sparsity.item<float>(), 1e-4);
        result.SparsityAtNextP.Should().BeApproximately(f.detach().pow(0.4).sum(1).mean().item<float>(), 1e-3);
        result.L0.Should().BeApproximately(f.detach().gt(0).sum(1).to_type(ScalarType.Float32).mean().item<float>(), 1e-9);
        GradientAssert.Match(manual, reference);
    }

    [Fact]
    public void An_sae_and_trainer_made_inside_a_dispose_scope_outlive_it()
    {
        StandardTrainer trainer;
        using (var scope = NewDisposeScope())
        {
            trainer = new StandardTrainer(new StandardSae(8, 16), 0.1, learningRateFactor: new LinearWarmup(0));
            trainer.Step(randn(4, 8), 0);
        }
        using (var scope = NewDisposeScope())
            trainer.Step(randn(4, 8), 1).Loss.Should().BeGreaterThan(0);
        trainer.Sae.W_dec.shape.Should().Equal(16, 8);
        trainer.Dispose();
    }

    [Fact]
    public void A_penalty_warm_up_scales_the_lambda_each_step_uses()
    {
        using var trainer = new StandardTrainer(new StandardSae(8, 16), 0.2, penaltyFactor: new LinearWarmup(10));
        using var x = randn(4, 8);
        trainer.Step(x, 0).Penalty.Should().Be(0);
        trainer.Step(x, 5).Penalty.Should().BeApproximately(0.1, 1e-15);
        trainer.Step(x, 50).Penalty.Should().Be(0.2);
        trainer.Penalty.Should().Be(0.2);
    }
}
