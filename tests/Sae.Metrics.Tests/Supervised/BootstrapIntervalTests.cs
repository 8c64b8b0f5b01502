using CsCheck;
using Sae.Games.BoardState;
using Sae.Metrics.Supervised;
using static TorchSharp.torch;

namespace Sae.Metrics.Tests.Supervised;

/// <summary>The bootstrap intervals of board reconstruction and coverage, over games.</summary>
public class BootstrapIntervalTests
{
    /// <summary>Random 0/1 truth [rows, elements] and predictions [rows, 1, elements] that agree with it at rate <paramref name="agreement"/>.</summary>
    private static (byte[,] Truth, bool[,,] Predicted) Boards(int rows, int elements, double agreement, int seed)
    {
        var random = new Random(seed);
        var truth = new byte[rows, elements];
        var predicted = new bool[rows, 1, elements];
        for (var x = 0; x < rows; x++)
            for (var e = 0; e < elements; e++)
            {
                truth[x, e] = (byte)(random.NextDouble() < 0.3 ? 1 : 0);
                predicted[x, 0, e] = random.NextDouble() < agreement ? truth[x, e] == 1 : random.NextDouble() < 0.3;
            }
        return (truth, predicted);
    }

    private static BoardReconstructionResult Score(byte[,] truth, bool[,,] predicted, IReadOnlyList<int> rowsPerGame, int variants = 1)
    {
        var probe = new FixedProbe(predicted, [.. Enumerable.Range(0, variants).Select(v => new Sae.Metrics.Probes.ProbeVariant($"v{v}", true))]);
        using var acts = FixedProbe.RowIndices(truth.GetLength(0));
        using var labels = tensor(truth);
        return BoardReconstruction.Score(probe, acts, labels, "g", new BoardStateShape(1, truth.GetLength(1), 1), valuesPerChunk: 40, rowsPerGame: rowsPerGame);
    }

    [Fact]
    public void The_per_game_counts_add_up_to_the_pooled_ones()
    {
        Gen.Int[1, 12].Array[1, 9].Select(Gen.Int, (games, seed) => (games, seed)).Sample(t =>
        {
            var rows = t.games.Sum();
            var (truth, predicted) = Boards(rows, 6, 0.7, t.seed);
            var result = Score(truth, predicted, t.games);
            var perGame = result.GameCounts!;
            perGame.GetLength(0).Should().Be(t.games.Length);
            long Sum(int c) => Enumerable.Range(0, t.games.Length).Sum(g => perGame[g, c, 0]);
            Sum(0).Should().Be(result.TruePositives[0]);
            Sum(1).Should().Be(result.FalsePositives[0]);
            Sum(2).Should().Be(result.FalseNegatives[0]);
            Sum(3).Should().Be(result.SquaresWithTrueAndFalsePositive[0]);
        }, iter: 40);
    }

    [Fact]
    public void With_one_game_every_resample_is_the_whole_split()
    {
        var (truth, predicted) = Boards(50, 8, 0.6, 3);
        var result = Score(truth, predicted, [50]);
        var interval = BoardReconstruction.Interval(result)!;
        interval.Low.Should().BeApproximately(result.F1, 1e-12);
        interval.High.Should().BeApproximately(result.F1, 1e-12);
    }

    [Fact]
    public void Two_games_give_the_interval_between_each_games_own_score()
    {
        // A resample of two games is A twice, A and B, or B twice (probabilities 1/4, 1/2, 1/4); F1 does not change when
        // every count doubles, so of 1,000 resamples the lowest 2.5% score as the worse game alone and the highest as the better.
        var (truth, predicted) = Boards(60, 8, 0.9, 4);
        for (var x = 30; x < 60; x++)
            for (var e = 0; e < 8; e++) predicted[x, 0, e] = x % 2 == 0; // game B guesses badly
        var result = Score(truth, predicted, [30, 30]);
        double Alone(int from)
        {
            var t = new byte[30, 8];
            var p = new bool[30, 1, 8];
            for (var x = 0; x < 30; x++)
                for (var e = 0; e < 8; e++) (t[x, e], p[x, 0, e]) = (truth[from + x, e], predicted[from + x, 0, e]);
            return Score(t, p, [30]).F1;
        }
        var (a, b) = (Alone(0), Alone(30));
        a.Should().BeGreaterThan(b + 0.2, "the test needs two games of different quality");
        var interval = BoardReconstruction.Interval(result, new BootstrapOptions(Seed: 11))!;
        interval.Low.Should().BeApproximately(b, 1e-8, "ε moves a doubled game's F1 by about 1e-10");
        interval.High.Should().BeApproximately(a, 1e-8);
        interval.Low.Should().BeLessThan(result.F1).And.Subject.Should().BeLessThan(interval.High);
    }

    [Fact]
    public void The_interval_is_seeded_and_narrows_with_more_games()
    {
        var (truth, predicted) = Boards(2000, 8, 0.7, 5);
        var many = Score(truth, predicted, [.. Enumerable.Repeat(5, 400)]);
        var manyInterval = BoardReconstruction.Interval(many, new BootstrapOptions(Seed: 1))!;
        BoardReconstruction.Interval(many, new BootstrapOptions(Seed: 1)).Should().Be(manyInterval, "the same seed draws the same resamples");
        BoardReconstruction.Interval(many, new BootstrapOptions(Seed: 2)).Should().NotBe(manyInterval);
        manyInterval.Low.Should().BeLessThan(many.F1).And.Subject.Should().BeLessThan(manyInterval.High);
        var few = Score(Slice(truth, 100), Slice(predicted, 100), [.. Enumerable.Repeat(5, 20)]);
        var fewInterval = BoardReconstruction.Interval(few, new BootstrapOptions(Seed: 1))!;
        // The width falls as 1/sqrt(games): 20 games against 400, about 4.5 times wider.
        var ratio = (fewInterval.High - fewInterval.Low) / (manyInterval.High - manyInterval.Low);
        ratio.Should().BeInRange(3, 7);
        BoardReconstruction.Interval(many with { GameCounts = null }).Should().BeNull("a result scored without games has no interval");
    }

    [Fact]
    public void Games_whose_rows_do_not_add_up_are_refused()
    {
        var (truth, predicted) = Boards(10, 4, 0.5, 6);
        FluentActions.Invoking(() => Score(truth, predicted, [4, 5])).Should().Throw<ArgumentException>().WithMessage("*add up to 9; there are 10 rows*");
    }

    /// <summary>
    /// Coverage, worked out on the host from the counts' arrays, of the features that are best on <paramref name="choose"/>
    /// (the first of equals) for each threshold and element, counted on <paramref name="score"/>: the mean F1 over the
    /// elements, at the best threshold.
    /// </summary>
    private static double CoverageOfChosen(SupervisedCounts choose, SupervisedCounts score)
    {
        var (alive, elements) = ((int)choose.TruePositives.shape[0], choose.Elements);
        static double F1(double tp, double on, double p)
        {
            var (precision, recall) = (tp / (on + Coverage.Epsilon), tp / (p + Coverage.Epsilon));
            return 2 * precision * recall / (precision + recall + Coverage.Epsilon);
        }
        var (tpChoose, onChoose, pChoose) = (choose.TruePositives.data<int>().ToArray(), choose.OnCounts.data<long>().ToArray(), choose.Positives.data<long>().ToArray());
        var (tpScore, onScore, pScore) = (score.TruePositives.data<int>().ToArray(), score.OnCounts.data<long>().ToArray(), score.Positives.data<long>().ToArray());
        var best = double.NegativeInfinity;
        for (var t = 0; t < ReferenceThresholds.Count; t++)
        {
            var sum = 0.0;
            for (var e = 0; e < elements; e++)
            {
                var chosen = 0;
                for (var i = 1; i < alive; i++)
                {
                    double At(int f) => F1(tpChoose[(f * ReferenceThresholds.Count + t) * elements + e], onChoose[f * ReferenceThresholds.Count + t], pChoose[e]);
                    if (At(i) > At(chosen)) chosen = i;
                }
                sum += F1(tpScore[(chosen * ReferenceThresholds.Count + t) * elements + e], onScore[chosen * ReferenceThresholds.Count + t], pScore[e]);
            }
            best = Math.Max(best, sum / elements);
        }
        return best;
    }

    /// <summary>
    /// Random activations of <paramref name="features"/> features on a one-hot board of 2 squares × 3 classes: the first
    /// <paramref name="informative"/> features fire, noisily, on one (square, class) each; the rest fire at random.
    /// </summary>
    private static (float[,] Acts, byte[,] Labels) NoisyFeatures(int rows, int features, int informative, double noise, int seed)
    {
        var random = new Random(seed);
        var acts = new float[rows, features];
        var labels = new byte[rows, 6];
        for (var x = 0; x < rows; x++)
        {
            for (var square = 0; square < 2; square++) labels[x, square * 3 + random.Next(3)] = 1;
            for (var f = 0; f < features; f++)
            {
                var fires = f < informative && labels[x, f % 6] == 1 ? random.NextDouble() > noise : random.NextDouble() < noise / 3;
                if (fires) acts[x, f] = (float)(0.2 + random.NextDouble());
            }
        }
        return (acts, labels);
    }

    [Fact]
    public void Coverage_of_one_game_has_no_spread_and_of_two_games_spans_the_gap_between_the_games_own()
    {
        // Two games of 40 positions; in the second the board-aligned features fire at random. A resample of one game twice
        // scores as that game alone, counted with the features chosen (and the maxima taken) on the whole split.
        var (acts, labels) = NoisyFeatures(80, 12, 6, 0.1, 7);
        var random = new Random(8);
        for (var x = 40; x < 80; x++)
            for (var f = 0; f < 6; f++) acts[x, f] = random.NextDouble() < 0.4 ? (float)random.NextDouble() : 0;
        var bsp = new BspSlice("board", 0, new BoardStateShape(1, 2, 3));
        using var a = tensor(acts);
        using var g = tensor(labels);
        var maxima = FeatureMaxima.Compute(a);
        using var counts = SupervisedCounts.Count(a, g, maxima);
        double Alone(int from)
        {
            using var part = SupervisedCounts.Count(a.narrow(0, from, 40), g.narrow(0, from, 40), maxima);
            return CoverageOfChosen(counts, part);
        }
        var (first, second) = (Alone(0), Alone(40));
        first.Should().BeGreaterThan(second + 0.2);
        var interval = Coverage.Intervals(a, g, [40, 40], counts, [bsp], new BootstrapOptions(Seed: 3))[0];
        var whole = Coverage.Compute(counts, bsp).Coverage;
        CoverageOfChosen(counts, counts).Should().BeApproximately(whole, 1e-12, "the host's route agrees with Coverage.Compute");
        // The resamples are the second game twice, both games and the first twice, a quarter, a half and a quarter of the
        // time: their 2.5% and 97.5% points are the two games' own coverages, and the interval keeps that spread, moved by
        // the estimate's distance from their mean, about (2 · whole − first − second) / 4 (1,000 resamples: within 5%).
        (interval.High - interval.Low).Should().BeApproximately(first - second, 1e-8);
        var shift = (2 * whole - first - second) / 4;
        interval.Low.Should().BeApproximately(second + shift, 0.05 * (first - second));
        interval.Low.Should().BeLessThan(whole).And.Subject.Should().BeLessThan(interval.High);
        var single = Coverage.Intervals(a, g, [80], counts, [bsp])[0];
        single.Low.Should().BeApproximately(whole, 1e-9, "every resample of one game is the whole split");
        single.High.Should().BeApproximately(whole, 1e-9);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Coverage_lies_inside_its_own_interval_when_many_features_compete(int seed)
    {
        // 200 features, of which 60 noisy board-aligned ones compete for 6 elements: choosing the best feature again in every
        // resample, whose games repeat, would lift every resample above the whole split's coverage.
        var (acts, labels) = NoisyFeatures(60 * 20, 200, 60, 0.45, seed);
        var bsp = new BspSlice("board", 0, new BoardStateShape(1, 2, 3));
        using var a = tensor(acts);
        using var g = tensor(labels);
        using var counts = SupervisedCounts.Count(a, g, FeatureMaxima.Compute(a));
        var whole = Coverage.Compute(counts, bsp).Coverage;
        var interval = Coverage.Intervals(a, g, [.. Enumerable.Repeat(20, 60)], counts, [bsp], new BootstrapOptions(Seed: seed))[0];
        interval.Low.Should().BeLessThan(whole);
        interval.High.Should().BeGreaterThan(whole);
        var (belowWidth, aboveWidth) = (whole - interval.Low, interval.High - whole);
        (belowWidth / aboveWidth).Should().BeInRange(0.5, 2, "the interval sits about its estimate");
    }

    [Fact]
    public void Coverage_lies_inside_its_own_interval_when_some_elements_occur_in_one_game_only()
    {
        // 60 games of 20 positions, 30 squares of two classes: class 0 everywhere, except that square s holds class 1 throughout
        // game 2·s alone (as a chess piece seldom reaches a given square); feature e detects element e, with some noise. A
        // resample that draws games with replacement leaves each game out about a third of the time, and a rare element with
        // it, whose F1 is then 0: with 30 such elements every resample would fall below the whole split's coverage.
        const int games = 60, rows = 20;
        var random = new Random(5);
        var acts = new float[games * rows, 60];
        var labels = new byte[games * rows, 60];
        for (var x = 0; x < games * rows; x++)
        {
            for (var square = 0; square < 30; square++) labels[x, 2 * square + (x / rows == 2 * square ? 1 : 0)] = 1;
            for (var f = 0; f < 60; f++)
                if (labels[x, f] == 1 ? random.NextDouble() > 0.1 : random.NextDouble() < 0.02) acts[x, f] = (float)(0.2 + random.NextDouble());
        }
        var bsp = new BspSlice("board", 0, new BoardStateShape(1, 30, 2));
        using var a = tensor(acts);
        using var g = tensor(labels);
        using var counts = SupervisedCounts.Count(a, g, FeatureMaxima.Compute(a));
        var whole = Coverage.Compute(counts, bsp).Coverage;
        var interval = Coverage.Intervals(a, g, [.. Enumerable.Repeat(rows, games)], counts, [bsp], new BootstrapOptions(Seed: 2))[0];
        interval.Low.Should().BeLessThan(whole);
        interval.High.Should().BeGreaterThan(whole, $"the interval [{interval.Low}, {interval.High}] should hold the estimate");
    }

    private static T[,] Slice<T>(T[,] values, int rows)
    {
        var slice = new T[rows, values.GetLength(1)];
        for (var x = 0; x < rows; x++)
            for (var e = 0; e < values.GetLength(1); e++) slice[x, e] = values[x, e];
        return slice;
    }

    private static bool[,,] Slice(bool[,,] values, int rows)
    {
        var slice = new bool[rows, 1, values.GetLength(2)];
        for (var x = 0; x < rows; x++)
            for (var e = 0; e < values.GetLength(2); e++) slice[x, 0, e] = values[x, 0, e];
        return slice;
    }
}
