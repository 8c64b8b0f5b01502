using System.Globalization;
using System.Text;

namespace Sae.Metrics.Evaluation;

/// <summary>Many evaluation records as one CSV table: a row per record, a column per metric and per BSP score (empty where a metric does not apply).</summary>
public static class EvaluationTable
{
    /// <summary>The CSV text of <paramref name="records"/> (RFC 4180 quoting, invariant numbers, BSP columns in order of first appearance).</summary>
    public static string ToCsv(IEnumerable<EvaluationRecord> records)
    {
        var list = records.ToList();
        var bsps = list.SelectMany(r => r.Bsps.Select(b => b.Bsp)).Distinct().ToList();
        var csv = new StringBuilder("name,subject,architecture,features,layer,train_positions,test_positions,l0,fraction_of_variance_explained,mse,alive_features," +
                                    "loss_clean,loss_sae,loss_zero,loss_recovered,chess_strategy_coverage,chess_strategy_reconstruction");
        foreach (var bsp in bsps) csv.Append($",coverage_{bsp},reconstruction_f1_{bsp},reconstruction_f1_per_square_{bsp},best_threshold_{bsp}");
        // The intervals come after every earlier column, so that those keep their places.
        foreach (var bsp in bsps) csv.Append($",coverage_low_{bsp},coverage_high_{bsp},reconstruction_f1_low_{bsp},reconstruction_f1_high_{bsp}");
        csv.Append('\n');
        foreach (var r in list)
        {
            var cells = new List<string?>
            {
                r.Name, r.Subject, r.Architecture, N(r.Features), N(r.Layer), N(r.TrainPositions), N(r.TestPositions), N(r.L0), N(r.FractionOfVarianceExplained), N(r.Mse),
                N(r.AliveFeatures), N(r.LossClean), N(r.LossSae), N(r.LossZero), N(r.LossRecovered), N(r.ChessStrategyCoverage), N(r.ChessStrategyReconstruction),
            };
            foreach (var bsp in bsps)
            {
                var score = r.Bsps.FirstOrDefault(b => b.Bsp == bsp);
                cells.AddRange([N(score?.Coverage), N(score?.ReconstructionF1), N(score?.ReconstructionF1PerSquare), N(score?.BestThreshold)]);
            }
            foreach (var bsp in bsps)
            {
                var score = r.Bsps.FirstOrDefault(b => b.Bsp == bsp);
                cells.AddRange([N(score?.CoverageInterval?.Low), N(score?.CoverageInterval?.High), N(score?.ReconstructionInterval?.Low), N(score?.ReconstructionInterval?.High)]);
            }
            csv.Append(string.Join(',', cells.Select(Quote))).Append('\n');
        }
        return csv.ToString();
    }

    private static string? N(double? value) => value?.ToString("R", CultureInfo.InvariantCulture);

    private static string? N(int? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static string Quote(string? cell) =>
        cell is null ? "" : cell.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{cell.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : cell;
}
