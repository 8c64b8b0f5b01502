using Sae.Metrics.Reports;

namespace Sae.Metrics.Tests.Reports;

public class PaperPointsTests
{
    [Fact]
    public void The_best_of_each_Othello_family_equals_the_papers_headline_table()
    {
        // docs/reference.md §5, typed in by hand from the paper: layer 5, mine/yours/blank masked.
        var expected = new Dictionary<string, (double Coverage, double Reconstruction)>
        {
            ["Gated"] = (0.519, 0.913), ["Gated + p-anneal"] = (0.509, 0.883), ["Standard + p-anneal"] = (0.454, 0.953),
            ["Standard"] = (0.403, 0.954), ["TopK"] = (0.494, 0.870), ["SAE on a random model"] = (0.272, 0.082),
            ["MLP neurons, best layer"] = (0.549, 0.815),
        };
        var best = PaperPoints.BestOfEachFamily("othello", "mine_yours_blank_masked");
        best.Select(b => b.Family).Should().BeEquivalentTo(expected.Keys);
        foreach (var (family, coverage, reconstruction) in best)
        {
            coverage.Should().BeApproximately(expected[family].Coverage, 0.0006, family);
            reconstruction.Should().BeApproximately(expected[family].Reconstruction, 0.0006, family);
        }
    }

    [Fact]
    public void The_chess_random_model_baseline_and_the_headline_points_are_the_papers()
    {
        // §5: an SAE on a random model reaches coverage 0.11 and reconstruction 0.005 on piece, blank and initial masked.
        var random = PaperPoints.BestOfEachFamily("chess", "piece_blank_initial_masked").Single(b => b.Family == PaperPoints.RandomModelFamily);
        random.Coverage.Should().BeApproximately(0.11, 0.006);
        random.Reconstruction.Should().BeLessThan(0.01);
        var headline = PaperPoints.Headline("othello", "mine_yours_blank_masked");
        headline.Should().OnlyContain(p => p.Layer == PaperPoints.HeadlineLayer && p.Family != PaperPoints.MlpNeuronsFamily && p.Game == "othello");
        headline.Where(p => p.Family == "TopK").Should().HaveCount(40, "the reference swept 40 TopK SAEs at layer 5");
        headline.Should().OnlyContain(p => p.L0 >= 0 && p.VarianceExplained <= 1 && !(p.Coverage > 2.0 / 3 + 1e-6), "coverage of the blank-masked BSP cannot pass 2/3 (dead SAEs have none: NaN)");
        headline.Count(p => p.L0 == 0).Should().BeGreaterThan(0, "the sweep kept its dead SAEs (L0 0), which a log axis leaves out");
    }
}
