using Sae.Metrics.Evaluation;
using Sae.Metrics.Supervised;

namespace Sae.Metrics.Tests.Evaluation;

public class EvaluationTableTests
{
    private static EvaluationRecord Record(string name, params BspScores[] bsps) =>
        new() { Subject = "sae", Name = name, Layer = 5, TrainPositions = 10, TestPositions = 20, L0 = 12.5, Bsps = bsps };

    [Fact]
    public void Records_become_one_row_each_with_a_column_per_bsp_score()
    {
        var csv = EvaluationTable.ToCsv([
            Record("a,b", new BspScores("x", 0.5, 0.25, 0.2, 0.1, new ConfidenceInterval(0.4, 0.6), new ConfidenceInterval(0.125, 0.375))),
            Record("c", new BspScores("y", null, 1, 1, null)),
        ]);
        var lines = csv.TrimEnd('\n').Split('\n');
        lines.Should().HaveCount(3);
        var header = lines[0].Split(',');
        header.Should().Contain(["coverage_x", "reconstruction_f1_x", "coverage_y", "best_threshold_y"]);
        lines[1].Should().StartWith("\"a,b\",sae,,,5,10,20,12.5,");
        var cells = lines[2].Split(',');
        cells[Array.IndexOf(header, "reconstruction_f1_y")].Should().Be("1");
        cells[Array.IndexOf(header, "coverage_x")].Should().BeEmpty("record c has no x");
        header[^8..].Should().Equal("coverage_low_x", "coverage_high_x", "reconstruction_f1_low_x", "reconstruction_f1_high_x",
            "coverage_low_y", "coverage_high_y", "reconstruction_f1_low_y", "reconstruction_f1_high_y");
        lines[1].Split(',')[^8..].Should().Equal("0.4", "0.6", "0.125", "0.375", "", "", "", "");
        cells[^4..].Should().OnlyContain(c => c.Length == 0, "record c has no intervals");
    }

    [Fact]
    public void Strategy_averages_appear_only_when_every_strategy_bsp_was_scored()
    {
        var all = BspSet.ChessStrategy.Members.Select((m, i) => new BspScores(m, i / 20.0, i / 10.0, 0, 0.5)).ToArray();
        var averaged = Record("s", all).WithStrategyAverages();
        averaged.ChessStrategyCoverage.Should().BeApproximately(Enumerable.Range(0, 14).Average(i => i / 20.0), 1e-12);
        averaged.ChessStrategyReconstruction.Should().BeApproximately(Enumerable.Range(0, 14).Average(i => i / 10.0), 1e-12);
        Record("t", all[..13]).WithStrategyAverages().ChessStrategyCoverage.Should().BeNull();
    }
}
