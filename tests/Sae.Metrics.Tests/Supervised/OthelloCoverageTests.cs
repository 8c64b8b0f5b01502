using Sae.Games.BoardState;
using Sae.Games.Othello;
using Sae.Metrics.Supervised;
using static TorchSharp.torch;

namespace Sae.Metrics.Tests.Supervised;

/// <summary>The paper's Othello coverage, worked out by hand on two positions.</summary>
public class OthelloCoverageTests
{
    // After f5 (white to move): mine = white {d4}, yours = black {d5, e5, f5, e4}.
    // After f5 d6 (black to move): mine = black {e4, e5, f5}, yours = white {d4, d5, d6}.
    // So 10 elements (square · 3 + channel, channel 0 mine, 2 yours) are ever 1: 4 of "mine", 6 of "yours".
    private const int D4 = 27, E4 = 28, D5 = 35, E5 = 36, F5 = 37, D6 = 43;

    private static readonly (int Element, bool AfterF5, bool AfterD6)[] Occurring =
    [
        (3 * D4, true, false), (3 * E4, false, true), (3 * E5, false, true), (3 * F5, false, true),
        (3 * D5 + 2, true, true), (3 * E5 + 2, true, false), (3 * F5 + 2, true, false), (3 * E4 + 2, true, false),
        (3 * D4 + 2, false, true), (3 * D6 + 2, false, true),
    ];

    private static double CoverageOf(BspSlice bsp)
    {
        var game = OthelloGame.Parse("f5 d6");
        using var labels = tensor(OthelloProperties.MineYoursBlankMasked.Label(game.Plies), [2, 192]);
        // One feature per occurring element, firing exactly where it is 1: each has F1 = 1 on its element.
        var acts = new float[2, Occurring.Length];
        for (var k = 0; k < Occurring.Length; k++)
        {
            acts[0, k] = Occurring[k].AfterF5 ? 1 : 0;
            acts[1, k] = Occurring[k].AfterD6 ? 1 : 0;
        }
        using var features = tensor(acts);
        return SupervisedEvaluation.Run(features, labels, features, labels, [bsp]).Bsps[0].Coverage.Coverage;
    }

    [Fact]
    public void The_papers_othello_coverage_divides_by_all_192_elements()
    {
        // 10 elements of F1 1 (less the formulas' ε), the other 182 (the zeroed blanks among them) 0.
        CoverageOf(BspSlice.Of(OthelloProperties.MineYoursBlankMasked)).Should().BeApproximately(10.0 / 192, 1e-7);
    }

    [Fact]
    public void Declaring_the_blank_class_masked_divides_by_128_instead()
    {
        var masked = BspSlice.Of(OthelloProperties.MineYoursBlankMasked) with { MaskedChannel = 1 };
        CoverageOf(masked).Should().BeApproximately(10.0 / 128, 1e-7);
    }
}
