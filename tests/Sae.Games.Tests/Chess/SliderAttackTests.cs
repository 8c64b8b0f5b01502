using CsCheck;
using Sae.Games.Chess;

namespace Sae.Games.Tests.Chess;

public class SliderAttackTests
{
    [Fact]
    public void Table_lookups_equal_walking_the_rays_for_any_blockers()
    {
        Gen.Int[0, 63].Select(Gen.ULong).Sample(t =>
        {
            var (square, occupied) = t;
            SliderAttacks.RookAttacks(square, occupied).Should().Be(SliderAttacks.SlowAttacks(square, occupied, rook: true));
            SliderAttacks.BishopAttacks(square, occupied).Should().Be(SliderAttacks.SlowAttacks(square, occupied, rook: false));
        }, iter: 20_000);
    }

    [Fact]
    public void Every_blocker_subset_of_every_square_looks_up_its_own_attacks()
    {
        // Sparse occupancies exercise each table entry far more often than uniform random ones do.
        for (var square = 0; square < 64; square++)
            for (var i = 0; i < 500; i++)
            {
                var random = new Random(square * 7919 + i);
                var occupied = (ulong)random.NextInt64() & (ulong)random.NextInt64() & (ulong)random.NextInt64();
                SliderAttacks.RookAttacks(square, occupied).Should().Be(SliderAttacks.SlowAttacks(square, occupied, rook: true));
                SliderAttacks.BishopAttacks(square, occupied).Should().Be(SliderAttacks.SlowAttacks(square, occupied, rook: false));
            }
    }
}
