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

    [Fact]
    public void TopK_recovers_the_dictionary_and_keeps_exactly_k_features()
    {
        using var data = new SyntheticDictionary(32, 48, 3.0 / 48, seed: 1);
        using var sae = new TopKSae(32, 96, k: 3, seed: 1);
        using var trainer = new TopKTrainer(sae, 1e-3, new LinearWarmup(100), deadTokenThreshold: 20_000);
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
}
