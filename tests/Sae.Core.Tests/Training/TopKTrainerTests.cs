using Sae.Core.Autoencoders;
using Sae.Core.Training;
using static TorchSharp.torch;

namespace Sae.Core.Tests.Training;

public class TopKTrainerTests
{
    [Fact]
    public void The_geometric_median_of_symmetric_points_is_their_centre_and_ignores_an_outlier_more_than_the_mean()
    {
        using var cross = tensor(new float[,] { { 1, 0 }, { -1, 0 }, { 0, 1 }, { 0, -1 }, { 0, 0 } });
        using var median = GeometricMedian.Of(cross);
        median.data<float>().ToArray().Should().OnlyContain(v => Math.Abs(v) < 1e-4);

        using var line = tensor(new float[,] { { 0, 0 }, { 1, 0 }, { 100, 0 } });
        using var robust = GeometricMedian.Of(line);
        // The median of three points on a line is the middle one; the mean would be 33.7.
        robust.data<float>()[0].Should().BeApproximately(1, 0.01f);
    }

    [Fact]
    public void The_default_learning_rate_follows_the_reference_scaling()
    {
        TopKTrainer.DefaultLearningRate(16384).Should().BeApproximately(2e-4, 1e-15);
        TopKTrainer.DefaultLearningRate(4096).Should().BeApproximately(4e-4, 1e-15);
    }

    [Fact]
    public void The_first_step_sets_b_dec_to_the_batch_geometric_median()
    {
        using var sae = new TopKSae(2, 4, k: 1);
        using var trainer = new TopKTrainer(sae, learningRateFactor: new LinearWarmup(10));
        using var x = tensor(new float[,] { { 0, 0 }, { 1, 0 }, { 100, 0 } });
        trainer.Step(x, 0); // learning rate 0 at step 0: only the initialisation moves b_dec
        sae.b_dec.data<float>()[0].Should().BeApproximately(1, 0.01f);
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.BFloat16)]
    public void TopK_recovers_the_dictionary_and_keeps_exactly_k_features(ScalarType products)
    {
        using var data = new SyntheticDictionary(32, 48, 3.0 / 48, seed: 1);
        using var sae = new TopKSae(32, 96, k: 3, seed: 1);
        using var trainer = new TopKTrainer(sae, 1e-3, new LinearWarmup(100), deadTokenThreshold: 20_000) { ProductType = products };
        TrainingStepMetrics last = null!;
        for (long step = 0; step < 2000; step++)
        {
            using var scope = NewDisposeScope();
            last = trainer.Step(data.Sample(256), step);
        }
        last.L0.Should().Be(3);
        data.Recovered(sae.W_dec).Should().BeGreaterThanOrEqualTo(0.9);
    }

    [Fact]
    public void Sparse_gradients_without_dead_features_equal_autograd_on_the_reference_loss()
    {
        using var generator = new Generator(5, CPU);
        using var sae = new TopKSae(16, 64, k: 5, seed: 2);
        using var trainer = new TopKTrainer(sae, 1e-3, new LinearWarmup(10));
        trainer.Step(randn(32, 16, generator: generator), 0); // initialises b_dec; learning rate 0
        using var x = randn(32, 16, generator: generator);
        trainer.ComputeGradients(x, 1, 0, null);
        var sparse = sae.Parameters.ToDictionary(kv => kv.Key, kv => kv.Value.grad!.clone());

        using var reference = new TopKSae(16, 64, k: 5);
        GradientAssert.CopyParameters(sae, reference);
        using var scope = NewDisposeScope();
        var f = reference.Encode(x);
        var loss = (x - reference.Decode(f)).pow(2).sum(1).mean();
        loss.backward();
        GradientAssert.Match(sparse, reference);
    }

    [Fact]
    public void With_dead_features_the_gradients_are_autograds_of_the_loss_with_the_auxk_term()
    {
        using var generator = new Generator(7, CPU);
        using var sae = new TopKSae(16, 64, k: 5, seed: 3);
        // Dead after 32 tokens without firing: after one batch of 32, every feature that did not fire in this batch is dead.
        using var trainer = new TopKTrainer(sae, 1e-3, new LinearWarmup(10), deadTokenThreshold: 32);
        trainer.Step(randn(32, 16, generator: generator), 0); // initialises b_dec; learning rate 0
        using var x = randn(32, 16, generator: generator);
        var result = trainer.ComputeGradients(x, 1, 0, null);
        var manual = sae.Parameters.ToDictionary(kv => kv.Key, kv => kv.Value.grad!.clone());

        // Independently: dead = the features outside every row's top k of this batch; AuxK reconstructs the
        // residual from the top min(d/2, dead) dead pre-activations, scaled by the residual's variance.
        using var reference = new TopKSae(16, 64, k: 5);
        GradientAssert.CopyParameters(sae, reference);
        using var scope = NewDisposeScope();
        var pre = (x - reference.b_dec).matmul(reference.W_enc).add(reference.b_enc).relu();
        var (top, topIndices) = pre.topk(5, dim: -1);
        var fired = zeros(64, ScalarType.Bool).index_fill_(0, topIndices.flatten(), true);
        var dead = fired.logical_not();
        var deadCount = dead.sum().item<long>();
        deadCount.Should().BeGreaterThan(0);
        var residual = x - reference.Decode(zeros_like(pre).scatter(-1, topIndices, top));
        var reconstruction = residual.pow(2).sum(1).mean();
        var (auxValues, auxIndices) = where(dead.unsqueeze(0), pre, full_like(pre, double.NegativeInfinity)).topk((int)Math.Min(8, deadCount), dim: -1);
        var auxError = (residual - zeros_like(pre).scatter(-1, auxIndices, auxValues).matmul(reference.W_dec)).pow(2).sum(1).mean();
        var variance = (residual - residual.mean([0L], keepdim: true)).pow(2).sum(1).mean();
        var loss = reconstruction + (auxError / variance) / 32;
        loss.backward();
        result.Loss.Should().BeApproximately(loss.item<float>(), 1e-4 * Math.Max(1, loss.item<float>()));
        trainer.DeadFeatures.Should().Be(deadCount);
        GradientAssert.Match(manual, reference);
    }
}
