using Sae.Games.BoardState;
using Sae.Metrics.Probes;
using static TorchSharp.torch;
using Sae.Core.Native;

namespace Sae.Metrics.Supervised;

/// <summary>
/// Board reconstruction: scores any <see cref="IBoardStateProbe"/> against the true labels of the test
/// split (docs/reference.md §4). TP, FP and FN are pooled over all test boards, squares and classes, and give
/// precision, recall and F1 (<c>f1_score_per_class</c>) with ε = 1e-8. The per-square variant
/// subtracts from TP the squares that have both a true-positive and a false-positive class. The
/// reported variant is the argmax of the per-square F1 over the selectable variants (for a labelled SAE:
/// the 10 ordinary thresholds), chosen on the test split itself; the reported number is the per-class F1
/// there.
/// </summary>
/// <remarks>
/// Reference quirks, kept: the threshold is chosen on the split it is scored on; it is chosen by the
/// per-square F1 but the per-class F1 is reported; a square counts as "true and false positive" only
/// when it has exactly one true-positive class and exactly one false-positive class (a square with two
/// or more false-positive classes is not subtracted); the per-square variant subtracts from TP without
/// adding to FP or FN. The scores are computed in float64 (float32 in the reference).
/// </remarks>
public static class BoardReconstruction
{
    /// <summary>
    /// Scores <paramref name="probe"/> on activations <paramref name="acts_ND"/> [N, probe input] against
    /// <paramref name="labels_NS"/> [N, S] (uint8 or bool; the BSP's columns only, S = <paramref name="shape"/>.Size),
    /// about <paramref name="valuesPerChunk"/> predicted values at a time. Given <paramref name="rowsPerGame"/> (the
    /// number of consecutive rows of each game), the counts are also kept per game
    /// (<see cref="BoardReconstructionResult.GameCounts"/>), for <see cref="Interval"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Shapes, types or values that do not fit (the message names the input).</exception>
    public static BoardReconstructionResult Score(
        IBoardStateProbe probe, Tensor acts_ND, Tensor labels_NS, string bsp, BoardStateShape shape,
        long valuesPerChunk = 1 << 24, IReadOnlyList<int>? rowsPerGame = null, CancellationToken cancellationToken = default)
    {
        if (acts_ND.dim() != 2 || acts_ND.shape[1] != probe.InputDimension)
            throw new ArgumentException($"{nameof(acts_ND)}: the probe reads [N, {probe.InputDimension}]; got [{string.Join(", ", acts_ND.shape)}].", nameof(acts_ND));
        SupervisedInputs.CheckLabels(labels_NS, acts_ND.shape[0], nameof(labels_NS));
        if (labels_NS.shape[1] != shape.Size || probe.Elements != shape.Size)
            throw new ArgumentException($"BSP {bsp}: shape {shape} has {shape.Size} elements; the labels have {labels_NS.shape[1]} and the probe predicts {probe.Elements}.");
        var variants = probe.Variants.Count;
        if (!probe.Variants.Any(v => v.Selectable))
            throw new ArgumentException("The probe has no selectable variant.", nameof(probe));
        using var noGrad = no_grad();
        var counts = new long[4, variants];
        var n = acts_ND.shape[0];
        using var gameOfRow = rowsPerGame is null ? null : GameBootstrap.GameOfRow(rowsPerGame, n);
        // Per game: TP, FP, squares with one TP and one FP class [games, variants], and true elements [games].
        using var gameCounts = rowsPerGame is null ? null : zeros([3, rowsPerGame.Count, variants], int64);
        using var gamePositives = rowsPerGame is null ? null : zeros(rowsPerGame.Count, int64);
        var squares = shape.Rows * shape.Columns;
        var chunk = SupervisedInputs.RowsPerChunk((long)variants * shape.Size, valuesPerChunk);
        for (long start = 0; start < n; start += chunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var rows = Math.Min(chunk, n - start);
            var predicted = probe.Predict(acts_ND.narrow(0, start, rows));
            if (predicted.dtype != ScalarType.Bool || !predicted.shape.SequenceEqual([rows, variants, shape.Size]))
                throw new InvalidOperationException($"The probe returned {predicted.dtype} [{string.Join(", ", predicted.shape)}]; expected Bool [{rows}, {variants}, {shape.Size}].");
            var truth = labels_NS.narrow(0, start, rows).to(ScalarType.Bool).to(predicted.device).unsqueeze(1);
            // FP = predicted − TP and FN = true − TP, per variant and per square: two passes over the predictions.
            var perSquare = new long[] { rows, variants, squares, shape.Channels };
            var truePositive = predicted.logical_and(truth).view(perSquare).sum([3], type: int64);
            var falsePositive = predicted.view(perSquare).sum([3], type: int64).sub_(truePositive);
            var bothOnce = truePositive.eq(Scalars.One).logical_and_(falsePositive.eq(Scalars.One));
            var tp = HostArray.Of<long>(truePositive.sum([0, 2]));
            var fp = HostArray.Of<long>(falsePositive.sum([0, 2]));
            var both = HostArray.Of<long>(bothOnce.sum([0, 2], type: int64));
            var positives = truth.sum().item<long>();
            if (gameOfRow is not null)
            {
                var game = gameOfRow.narrow(0, start, rows);
                gameCounts![0].index_add_(0, game, truePositive.sum([2]).cpu(), Scalars.One);
                gameCounts[1].index_add_(0, game, falsePositive.sum([2]).cpu(), Scalars.One);
                gameCounts[2].index_add_(0, game, bothOnce.sum([2], type: int64).cpu(), Scalars.One);
                gamePositives!.index_add_(0, game, truth.sum([1, 2], type: int64).cpu(), Scalars.One);
            }
            for (var v = 0; v < variants; v++)
            {
                counts[0, v] += tp[v];
                counts[1, v] += fp[v];
                counts[2, v] += positives - tp[v];
                counts[3, v] += both[v];
            }
        }
        var perGame = gameCounts is null ? null : PerGame(gameCounts, gamePositives!);
        return Result(probe.Variants, bsp, n, counts) with { GameCounts = perGame };
    }

    /// <summary>
    /// The bootstrap interval of the reported score (<see cref="BoardReconstructionResult.F1"/>), over the test games:
    /// each resample sums the drawn games' counts and chooses its own variant (by per-square F1, as the score does).
    /// Null where the result was scored without games.
    /// </summary>
    public static ConfidenceInterval? Interval(BoardReconstructionResult result, BootstrapOptions? options = null)
    {
        if (result.GameCounts is not { } perGame) return null;
        options ??= BootstrapOptions.Default;
        var (games, variants) = (perGame.GetLength(0), result.Variants.Count);
        var flat = new double[games * 4 * variants];
        for (var g = 0; g < games; g++)
            for (var c = 0; c < 4; c++)
                for (var v = 0; v < variants; v++)
                    flat[(g * 4 + c) * variants + v] = perGame[g, c, v];
        using var noGrad = no_grad();
        using var weights = GameBootstrap.Multiplicities(games, options);
        using var counts = tensor(flat, [games, 4 * variants], ScalarType.Float64);
        using var summed = weights.mm(counts);
        var resampled = HostArray.Of<double>(summed);
        var scores = new double[options.Resamples];
        for (var b = 0; b < options.Resamples; b++)
        {
            long[] Summed(int c) => [.. Enumerable.Range(0, variants).Select(v => (long)Math.Round(resampled[(b * 4 + c) * variants + v]))];
            scores[b] = Result(result.Variants, result.Bsp, result.Positions, Stack(Summed(0), Summed(1), Summed(2), Summed(3))).F1;
        }
        return GameBootstrap.Percentile(scores, options.Level);
    }

    private static long[,,] PerGame(Tensor gameCounts, Tensor gamePositives)
    {
        var (games, variants) = ((int)gameCounts.shape[1], (int)gameCounts.shape[2]);
        var values = HostArray.Of<long>(gameCounts);
        var positives = HostArray.Of<long>(gamePositives);
        var perGame = new long[games, 4, variants];
        for (var g = 0; g < games; g++)
            for (var v = 0; v < variants; v++)
            {
                long At(int c) => values[((long)c * games + g) * variants + v];
                (perGame[g, 0, v], perGame[g, 1, v], perGame[g, 2, v], perGame[g, 3, v]) = (At(0), At(1), positives[g] - At(0), At(2));
            }
        return perGame;
    }

    private static long[,] Stack(params long[][] rows)
    {
        var counts = new long[rows.Length, rows[0].Length];
        for (var r = 0; r < rows.Length; r++)
            for (var v = 0; v < rows[r].Length; v++) counts[r, v] = rows[r][v];
        return counts;
    }

    private static BoardReconstructionResult Result(IReadOnlyList<ProbeVariant> variants, string bsp, long positions, long[,] counts)
    {
        var tp = Row(counts, 0);
        var fp = Row(counts, 1);
        var fn = Row(counts, 2);
        var both = Row(counts, 3);
        var (precision, recall, f1) = Scores(tp, fp, fn);
        var adjusted = tp.Zip(both, (t, b) => t - b).ToArray();
        var (squarePrecision, squareRecall, squareF1) = Scores(adjusted, fp, fn);
        var best = FirstArgMax.Of(squareF1, i => variants[i].Selectable);
        return new BoardReconstructionResult(bsp, variants, positions, tp, fp, fn, both,
            precision, recall, f1, squarePrecision, squareRecall, squareF1, best);
    }

    private static long[] Row(long[,] counts, int row) =>
        [.. Enumerable.Range(0, counts.GetLength(1)).Select(v => counts[row, v])];

    private static (double[] Precision, double[] Recall, double[] F1) Scores(long[] tp, long[] fp, long[] fn)
    {
        var eps = ReferenceF1.Epsilon;
        var precision = tp.Select((t, i) => t / (t + fp[i] + eps)).ToArray();
        var recall = tp.Select((t, i) => t / (t + fn[i] + eps)).ToArray();
        var f1 = precision.Select((p, i) => ReferenceF1.Of(p, recall[i])).ToArray();
        return (precision, recall, f1);
    }
}
