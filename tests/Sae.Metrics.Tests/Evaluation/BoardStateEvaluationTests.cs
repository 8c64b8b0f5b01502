using Sae.Core.Activations;
using Sae.Core.Autoencoders;
using Sae.Core.LanguageModels;
using Sae.Games.Othello;
using Sae.Metrics.Evaluation;
using Sae.Metrics.Unsupervised;
using static TorchSharp.torch;

namespace Sae.Metrics.Tests.Evaluation;

public class BoardStateEvaluationTests
{
    private static readonly GptConfig Small = new() { Layers = 2, Heads = 2, ModelDimension = 8, MlpDimension = 16 };

    private static List<OthelloGame> Games(int first, int count) => [.. Enumerable.Range(first, count).Select(i => RandomOthelloGames.Game(3, i))];

    private static GamePositions Positions(int first, int count) =>
        GamePositions.Othello(Games(first, count), [OthelloProperties.MineYoursBlankMasked, OthelloProperties.ValidMoves]);

    [Fact]
    public void Labels_sit_side_by_side_and_describe_the_board_after_each_move()
    {
        var positions = Positions(0, 3);
        positions.Elements.Should().Be(8 * 8 * 3 + 8 * 8);
        positions.Slices.Select(s => (s.Name, s.Offset)).Should().Equal(("mine_yours_blank_masked", 0), ("valid_moves", 192));
        positions.Rows.Should().Be(Games(0, 3).Sum(g => Math.Min(g.Length, 59)));
        // Row 0 is the board after the first move: its valid-move columns are that position's legal moves.
        var first = Games(0, 1)[0].Plies[0].Position;
        var row0 = positions.Labels.AsSpan(192, 64).ToArray();
        for (var square = 0; square < 64; square++)
            row0[square].Should().Be((byte)((first.LegalMoves >> square) & 1), $"square {square}");
    }

    [Fact]
    public void Chess_positions_are_the_dots_labelled_with_the_board_there()
    {
        var transcripts = Enumerable.Range(0, 3).Select(i => Sae.Games.Chess.ChessGptTranscript.Format(Sae.Games.Chess.RandomChessGames.Game(2, i, maxPlies: 80))).ToList();
        var positions = GamePositions.Chess(transcripts, [Sae.Games.Chess.ChessProperties.ByName("piece"), Sae.Games.Chess.ChessProperties.ByName("check")]);
        positions.Elements.Should().Be(8 * 8 * 13 + 1);
        positions.Positions[0].Should().Equal(transcripts[0].Select((c, i) => (c, i)).Where(p => p.c == '.').Take(20).Select(p => p.i));
        positions.Rows.Should().Be(positions.Positions.Sum(p => p.Length));
        // The first '.' is the start: white pawns (class 6 + 1 = 7) on a2..h2, nothing (class 6) on e4.
        var row0 = positions.Labels.AsSpan(0, 8 * 8 * 13);
        for (var file = 0; file < 8; file++) row0[(8 + file) * 13 + 7].Should().Be(1);
        row0[(3 * 8 + 4) * 13 + 6].Should().Be(1);
        positions.Labels[8 * 8 * 13].Should().Be(0, "no check at the start");
    }

    [Fact]
    public void An_sae_record_agrees_with_the_metrics_computed_separately()
    {
        using var model = new GptModel(Small, seed: 1);
        using var sae = new StandardSae(8, 32, seed: 2);
        var train = Positions(0, 6);
        var test = Positions(6, 6);
        var record = BoardStateEvaluation.EvaluateSae(model, 1, sae, "s", train, test, batchSize: 4);

        using (var shared = SplitResiduals.Read(model, 1, train, test))
        {
            BoardStateEvaluation.EvaluateSae(model, 1, sae, "s", train, test, batchSize: 4, residuals: shared).Should().BeEquivalentTo(record, "residuals read once give the same record");
            FluentActions.Invoking(() => BoardStateEvaluation.EvaluateSae(model, 0, sae, "s", train, test, residuals: shared))
                .Should().Throw<ArgumentException>().WithMessage("*layer 1*layer 0*");
        }
        record.TrainPositions.Should().Be(train.Rows);
        record.TestPositions.Should().Be(test.Rows);
        using var residual = test.Activations(t => model.ResidualStream(t, 1), CPU);
        using var source = new TensorActivations(residual);
        var direct = ReconstructionMetrics.Measure(sae, source);
        record.L0.Should().BeApproximately(direct.L0, 1e-9);
        record.FractionOfVarianceExplained.Should().BeApproximately(direct.FractionOfVarianceExplained, 1e-9);
        record.LossRecovered.Should().BeApproximately((record.LossSae!.Value - record.LossZero!.Value) / (record.LossClean!.Value - record.LossZero.Value), 1e-12);
        record.Bsps.Select(b => b.Bsp).Should().Equal("mine_yours_blank_masked", "valid_moves");
        foreach (var b in record.Bsps)
        {
            b.Coverage.Should().BeInRange(0, 1);
            b.ReconstructionF1.Should().BeInRange(0, 1);
        }
        record.Bsps[0].Coverage.Should().BeLessThanOrEqualTo(2.0 / 3 + 1e-9, "the blank channel is zeroed but still counted");
    }

    [Fact]
    public void The_identity_sae_recovers_all_the_loss()
    {
        using var model = new GptModel(Small, seed: 4);
        using var sae = new StandardSae(8, 16, seed: 5);
        // Features ReLU(x) and ReLU(-x); decoder +I and -I: x̂ = ReLU(x) - ReLU(-x) = x.
        using (var noGrad = no_grad())
        {
            using var eye8 = eye(8);
            sae.LoadParameters(new Dictionary<string, Tensor>
            {
                ["W_enc"] = cat([eye8, -eye8], 1), ["b_enc"] = zeros(16),
                ["W_dec"] = cat([eye8, -eye8], 0), ["b_dec"] = zeros(8),
            });
        }
        var loss = LossRecovered.Measure(model, 0, sae, Positions(0, 4).Sequences);
        loss.SaeLoss.Should().BeApproximately(loss.CleanLoss, 1e-5);
        loss.Fraction.Should().BeApproximately(1.0, 1e-4);
        loss.ZeroLoss.Should().NotBe(loss.CleanLoss);
    }
}
