using Sae.Games.BoardState;
using Sae.Metrics.Probes;
using Sae.Metrics.Supervised;
using static TorchSharp.torch;

namespace Sae.Metrics.Tests.Supervised;

public class BoardReconstructionTests
{
    private const double Eps = 1e-8;

    private static double F1(double tp, double fp, double fn)
    {
        var p = tp / (tp + fp + Eps);
        var r = tp / (tp + fn + Eps);
        return 2 * p * r / (p + r + Eps);
    }

    [Fact]
    public void Per_class_and_per_square_scores_match_the_hand_computed_counts()
    {
        // Two squares of two classes; truth x0 = [1 0 | 0 1], x1 = [0 1 | 1 0].
        byte[,] truth = { { 1, 0, 0, 1 }, { 0, 1, 1, 0 } };
        bool[,,] predicted =
        {
            { { true, true, false, true }, { true, true, true, false }, { true, false, false, true } },
            { { false, false, true, true }, { true, true, true, true }, { false, true, true, false } },
        };
        // a: TP 3, FP 2, FN 1; squares with one TP and one FP: x0 square 0, x1 square 1.
        // b: TP 3, FP 4, FN 1; such squares: x0 square 0, x1 both.
        // c: perfect, but not selectable.
        var probe = new FixedProbe(predicted, [new("a", true), new("b", true), new("c", false)]);
        using var acts = FixedProbe.RowIndices(2);
        using var labels = tensor(truth);
        var result = BoardReconstruction.Score(probe, acts, labels, "two_squares", new BoardStateShape(1, 2, 2));

        result.TruePositives.Should().Equal(3, 3, 4);
        result.FalsePositives.Should().Equal(2, 4, 0);
        result.FalseNegatives.Should().Equal(1, 1, 0);
        result.SquaresWithTrueAndFalsePositive.Should().Equal(2, 3, 0);
        result.F1PerClass[0].Should().BeApproximately(F1(3, 2, 1), 1e-12);
        result.F1PerClass[0].Should().BeApproximately(2.0 / 3, 1e-7);
        result.F1PerClass[1].Should().BeApproximately(18.0 / 33, 1e-7);
        result.F1PerSquare[0].Should().BeApproximately(F1(1, 2, 1), 1e-12);
        result.F1PerSquare[0].Should().BeApproximately(0.4, 1e-7);
        result.F1PerSquare[1].Should().Be(0);
        result.BestVariant.Should().Be(0, "c is perfect but not selectable");
        result.F1.Should().Be(result.F1PerClass[0]);
        result.Positions.Should().Be(2);
    }

    [Fact]
    public void A_square_with_two_false_positive_classes_is_not_subtracted_as_in_the_reference()
    {
        byte[,] truth = { { 1, 0, 0 } };
        bool[,,] predicted = { { { true, true, true } } };
        var probe = new FixedProbe(predicted, [new("all", true)]);
        using var acts = FixedProbe.RowIndices(1);
        using var labels = tensor(truth);
        var result = BoardReconstruction.Score(probe, acts, labels, "one_square", new BoardStateShape(1, 1, 3));
        result.SquaresWithTrueAndFalsePositive.Should().Equal(0);
        result.F1PerSquare[0].Should().Be(result.F1PerClass[0]);
    }

    [Fact]
    public void An_oracle_probe_scores_1_and_a_random_probe_scores_near_chance()
    {
        const int n = 3000, s = 64;
        var random = new Random(5);
        var truth = new byte[n, s];
        var oracle = new bool[n, 1, s];
        var guess = new bool[n, 1, s];
        for (var x = 0; x < n; x++)
            for (var e = 0; e < s; e++)
            {
                truth[x, e] = (byte)(random.NextDouble() < 0.2 ? 1 : 0);
                oracle[x, 0, e] = truth[x, e] == 1;
                guess[x, 0, e] = random.NextDouble() < 0.3;
            }
        using var acts = FixedProbe.RowIndices(n);
        using var labels = tensor(truth);
        var shape = new BoardStateShape(8, 8, 1);
        var perfect = BoardReconstruction.Score(new FixedProbe(oracle, [new("oracle", true)]), acts, labels, "g", shape, valuesPerChunk: 1000);
        perfect.F1.Should().BeApproximately(1, 1e-7);
        perfect.F1PerSquareAtBest.Should().BeApproximately(1, 1e-7);
        // Independent guesses at rate p against positives at rate q: precision q, recall p, F1 = 2pq / (p + q) = 0.24.
        var chance = BoardReconstruction.Score(new FixedProbe(guess, [new("random", true)]), acts, labels, "g", shape);
        chance.F1.Should().BeApproximately(0.24, 0.01);
    }

    [Fact]
    public void Labels_of_another_width_than_the_bsp_are_refused()
    {
        var probe = new FixedProbe(new bool[2, 1, 4], [new("a", true)]);
        using var acts = FixedProbe.RowIndices(2);
        using var labels = zeros(2, 3, ScalarType.Byte);
        FluentActions.Invoking(() => BoardReconstruction.Score(probe, acts, labels, "g", new BoardStateShape(1, 2, 2)))
            .Should().Throw<ArgumentException>().WithMessage("*4 elements; the labels have 3*");
    }
}
