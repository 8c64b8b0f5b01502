using Sae.Core.Tests.Native;
using Sae.Games.BoardState;
using Sae.Metrics.Probes;
using Sae.Metrics.Supervised;
using static TorchSharp.torch;

namespace Sae.Metrics.Tests.Native;

/// <summary>The supervised metrics and the linear probe under constant garbage collection (see <see cref="CollectionPressure"/>).</summary>
public class GcStressTests
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(3);

    [Fact]
    public void Supervised_counting_survives_collections_during_native_calls()
    {
        // 40 positions of 6 random non-negative features (a quarter zero) and a 2x2x3 one-hot board: small, so
        // that many native calls run per second.
        var random = new Random(4);
        const int n = 40, features = 6;
        var acts = new float[n, features];
        var labels = new byte[n, 12];
        for (var x = 0; x < n; x++)
        {
            for (var f = 0; f < features; f++) acts[x, f] = random.Next(4) == 0 ? 0 : (float)random.NextDouble();
            for (var square = 0; square < 4; square++) labels[x, square * 3 + random.Next(3)] = 1;
        }
        using var a = tensor(acts);
        using var g = tensor(labels);
        BspSlice[] bsps = [new("board", 0, new BoardStateShape(2, 2, 3))];
        var expected = SupervisedEvaluation.Run(a, g, a, g, bsps).Bsps[0];
        CollectionPressure.Repeat(Duration, () =>
        {
            var result = SupervisedEvaluation.Run(a, g, a, g, bsps).Bsps[0];
            result.Coverage.Coverage.Should().Be(expected.Coverage.Coverage);
            result.Reconstruction.F1.Should().Be(expected.Reconstruction.F1);
        });
    }

    [Fact]
    public void Linear_probe_training_survives_collections_during_native_calls()
    {
        using var acts = randn(64, 4, generator: new Generator(1));
        using var labels = (acts.select(1, 0) > 0).unsqueeze(1).to(ScalarType.Byte);
        var options = new LinearProbeOptions(Epochs: 10, BatchSize: 4, Seed: 2);
        using var expected = LinearProbe.Train(acts, labels, options);
        CollectionPressure.Repeat(Duration, () =>
        {
            using var probe = LinearProbe.Train(acts, labels, options);
            probe.Weight.allclose(expected.Weight, 0, 0).Should().BeTrue("training is seeded");
        });
    }
}
