using Sae.Games.BoardState;
using Sae.Metrics.Probes;
using Sae.Metrics.Supervised;
using static TorchSharp.torch;

namespace Sae.Metrics.Tests.Probes;

public class LinearProbeTests
{
    /// <summary>
    /// Gaussian activations [n, 8]; element 0 is true iff x · w* &gt; 0 for a planted direction w*, element 1
    /// iff x₃ &gt; 0.5, element 2 never.
    /// </summary>
    private static (Tensor Acts, Tensor Labels) Planted(ulong seed, int n)
    {
        var generator = new Generator(seed, CPU);
        var acts = randn([n, 8], generator: generator);
        using var direction = tensor(new float[] { 1, -2, 0, 0, 0.5f, 0, 0, 1 });
        using var first = acts.matmul(direction).gt(0);
        using var second = acts.select(1, 3).gt(0.5);
        using var third = zeros(n, ScalarType.Bool);
        var labels = stack([first, second, third], 1).to(ScalarType.Byte);
        return (acts, labels);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(128)]
    public void The_probe_learns_a_planted_linear_feature(int batchSize)
    {
        var (trainActs, trainLabels) = Planted(1, 4000);
        var (testActs, testLabels) = Planted(2, 2000);
        using (trainActs) using (trainLabels) using (testActs) using (testLabels)
        {
            using var probe = LinearProbe.Train(trainActs, trainLabels, new LinearProbeOptions(Epochs: batchSize == 0 ? 300 : 10, BatchSize: batchSize, LearningRate: 0.05));
            var result = BoardReconstruction.Score(probe, testActs, testLabels, "planted", new BoardStateShape(1, 3, 1));
            result.F1.Should().BeGreaterThan(0.97);
            // The learnt direction of element 0 is the planted one.
            using var w = probe.Weight.select(1, 0);
            using var planted = tensor(new float[] { 1, -2, 0, 0, 0.5f, 0, 0, 1 });
            var cosine = (w.dot(planted) / (w.norm() * planted.norm())).item<float>();
            cosine.Should().BeGreaterThan(0.99f);
            probe.Predict(testActs).select(2, 2).any().item<bool>().Should().BeFalse("element 2 never occurs");
        }
    }

    [Fact]
    public void The_same_seed_gives_the_same_probe()
    {
        var (acts, labels) = Planted(3, 500);
        using (acts) using (labels)
        {
            var options = new LinearProbeOptions(Epochs: 3, BatchSize: 64, Seed: 9);
            using var a = LinearProbe.Train(acts, labels, options);
            using var b = LinearProbe.Train(acts, labels, options);
            using var c = LinearProbe.Train(acts, labels, options with { Seed = 10 });
            a.Weight.allclose(b.Weight, 0, 0).Should().BeTrue();
            a.Weight.allclose(c.Weight, 0, 0).Should().BeFalse();
        }
    }
}
