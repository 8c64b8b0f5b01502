using Sae.Games.BoardState;
using Sae.Metrics.Evaluation;
using Sae.Metrics.Supervised;
using static TorchSharp.torch;

namespace Sae.Metrics.Tests.Evaluation;

public class FeatureBoardMapsTests
{
    [Fact]
    public void A_feature_that_fires_exactly_when_a_square_holds_a_class_shows_that_square()
    {
        // 100 positions, 8x8x2 labels; square 5 class 1 holds on the first 25. Feature 1 fires exactly then;
        // feature 0 fires everywhere (no lift); feature 2 fires on 10 positions only (below the minimum).
        var labels = new byte[100, 128];
        var acts = new float[100, 3];
        for (var n = 0; n < 100; n++)
        {
            if (n < 25) labels[n, 5 * 2 + 1] = 1;
            acts[n, 0] = 1;
            acts[n, 1] = n < 25 ? 2 : 0;
            acts[n, 2] = n < 10 ? 1 : 0;
        }
        using var l = tensor(labels);
        using var f = tensor(acts);
        var maps = FeatureBoardMaps.Top(f, l, new BspSlice("b", 0, new BoardStateShape(8, 8, 2)), count: 2, minimumOn: 20);
        maps.Should().HaveCount(1, "only feature 1 lifts any class");
        var (feature, channel, map) = maps[0];
        (feature, channel).Should().Be((1, 1));
        map.Values[5].Should().BeApproximately(1 - 0.25, 1e-6, "P(class | on) = 1 against 0.25 overall");
        map.Values.Where((_, i) => i != 5).Should().OnlyContain(v => Math.Abs(v) < 1e-6);
    }
}
