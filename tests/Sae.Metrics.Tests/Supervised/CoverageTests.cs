using Sae.Games.BoardState;
using Sae.Metrics.Supervised;

namespace Sae.Metrics.Tests.Supervised;

public class CoverageTests
{
    private const double Tolerance = 1e-7;

    [Fact]
    public void Coverage_matches_the_hand_computed_value_with_an_element_that_never_occurs()
    {
        using var counts = SmallCase.Count();
        var result = Coverage.Compute(counts, SmallCase.Bsp());
        // Per threshold, the best feature's F1 for s0 and s1 (s2 never occurs: 0, still in the denominator of 3).
        // t0: s0 f0 P=2/4 R=1 → 2/3; s1 f2 P=1/3 R=1 → 1/2.   t1..t4: s0 f0 → 1; s1 f2 P=1/3 → 1/2.
        // t5: s0 f0 P=1 R=1/2 → 2/3; s1 f2 P=1/2 → 2/3.         t6..t9: s0 → 2/3; s1 f2 P=1 R=1 → 1.   t10: nothing is on.
        double[] expected = [(2.0 / 3 + 0.5) / 3, 0.5, 0.5, 0.5, 0.5, (4.0 / 3) / 3, (5.0 / 3) / 3, (5.0 / 3) / 3, (5.0 / 3) / 3, (5.0 / 3) / 3, 0];
        for (var k = 0; k < 11; k++) result.PerThreshold[k].Should().BeApproximately(expected[k], Tolerance, $"threshold {k}");
        result.BestThreshold.Should().Be(6, "the first of the tied thresholds 6..9");
        result.Coverage.Should().BeApproximately(5.0 / 9, Tolerance);
    }

    [Fact]
    public void A_masked_class_leaves_the_denominator()
    {
        using var counts = SmallCase.Count();
        var result = Coverage.Compute(counts, SmallCase.Bsp(masked: 2));
        result.Coverage.Should().BeApproximately((5.0 / 3) / 2, Tolerance);
    }

    [Fact]
    public void Coverage_is_per_bsp_over_its_own_columns()
    {
        using var counts = SmallCase.Count();
        // Only element 1: best at t6..t9 where f2 is a perfect classifier.
        var result = Coverage.Compute(counts, new BspSlice("s1", 1, new BoardStateShape(1, 1, 1)));
        result.Coverage.Should().BeApproximately(1, Tolerance);
        result.BestThreshold.Should().Be(6);
    }

    [Fact]
    public void The_epsilon_of_the_formulas_is_applied()
    {
        // F1 of a perfect classifier with one positive: P = R = 1 / (1 + ε), F1 = 2P² / (2P + ε).
        using var counts = SmallCase.Count();
        var p = 1 / (1 + 1e-8);
        var result = Coverage.Compute(counts, new BspSlice("s1", 1, new BoardStateShape(1, 1, 1)));
        result.Coverage.Should().BeApproximately(2 * p * p / (2 * p + 1e-8), 1e-15);
    }

    [Fact]
    public void A_masked_class_with_labels_that_are_1_is_refused()
    {
        using var counts = SmallCase.Count();
        FluentActions.Invoking(() => Coverage.Compute(counts, SmallCase.Bsp(masked: 0)))
            .Should().Throw<ArgumentException>().WithMessage("*class 0 is masked by design, but some of its labels are 1*");
    }

    [Fact]
    public void A_bsp_outside_the_columns_or_masking_a_missing_class_is_refused()
    {
        using var counts = SmallCase.Count();
        FluentActions.Invoking(() => Coverage.Compute(counts, new BspSlice("wide", 1, new BoardStateShape(1, 1, 3))))
            .Should().Throw<ArgumentException>().WithMessage("*wide*do not fit in 3*");
        FluentActions.Invoking(() => Coverage.Compute(counts, SmallCase.Bsp(masked: 3)))
            .Should().Throw<ArgumentException>().WithMessage("*masked class 3*");
    }
}
