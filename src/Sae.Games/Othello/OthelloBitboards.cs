using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Sae.Games.Othello;

/// <summary>
/// Move generation and flipping on 64-bit boards (bit i = square index i). Every direction is a
/// shift: ±1 along a rank, ±8 along a file, ±7 and ±9 along the diagonals. Discs that would wrap
/// from the h-file to the a-file (or back) are masked out by only letting the run pass over the
/// inner files b–g.
/// </summary>
internal static class OthelloBitboards
{
    /// <summary>Every square but the a- and h-files.</summary>
    private const ulong InnerFiles = 0x7E7E7E7E7E7E7E7EUL;

    /// <summary>The squares where <paramref name="own"/> may play against <paramref name="opponent"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong LegalMoves(ulong own, ulong opponent)
    {
        var empty = ~(own | opponent);
        var inner = opponent & InnerFiles;
        return Targets(own, inner, empty, 1) | Targets(own, opponent, empty, 8)
             | Targets(own, inner, empty, 7) | Targets(own, inner, empty, 9);
    }

    /// <summary>The discs that <paramref name="own"/> flips by playing on <paramref name="square"/>; 0 if none (an illegal move).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Flips(ulong own, ulong opponent, int square)
    {
        var move = 1UL << square;
        var inner = opponent & InnerFiles;
        return Captured(move, own, inner, 1) | Captured(move, own, opponent, 8)
             | Captured(move, own, inner, 7) | Captured(move, own, inner, 9);
    }

    /// <summary>The index of the <paramref name="n"/>-th (0-based) set bit of <paramref name="bits"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int NthSetBit(ulong bits, int n)
    {
        if (Bmi2.X64.IsSupported)
            return BitOperations.TrailingZeroCount(Bmi2.X64.ParallelBitDeposit(1UL << n, bits));
        for (var i = 0; i < n; i++)
            bits &= bits - 1;
        return BitOperations.TrailingZeroCount(bits);
    }

    /// <summary>Empty squares reached from <paramref name="own"/> over a run of <paramref name="run"/> discs, both ways along shift <paramref name="s"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Targets(ulong own, ulong run, ulong empty, int s) =>
        ((RunUp(own, run, s) << s) | (RunDown(own, run, s) >> s)) & empty;

    /// <summary>The runs of <paramref name="run"/> discs from <paramref name="move"/> that end on an own disc, both ways along shift <paramref name="s"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Captured(ulong move, ulong own, ulong run, int s)
    {
        var up = RunUp(move, run, s);
        var down = RunDown(move, run, s);
        return (((up << s) & own) != 0 ? up : 0) | (((down >> s) & own) != 0 ? down : 0);
    }

    /// <summary>The squares of <paramref name="run"/> reached from <paramref name="from"/> by repeated left shifts of <paramref name="s"/> (at most six: the longest run on 8 squares).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong RunUp(ulong from, ulong run, int s)
    {
        var x = (from << s) & run;
        x |= (x << s) & run;
        x |= (x << s) & run;
        x |= (x << s) & run;
        x |= (x << s) & run;
        return x | ((x << s) & run);
    }

    /// <summary>The same as <see cref="RunUp"/> with right shifts.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong RunDown(ulong from, ulong run, int s)
    {
        var x = (from >> s) & run;
        x |= (x >> s) & run;
        x |= (x >> s) & run;
        x |= (x >> s) & run;
        x |= (x >> s) & run;
        return x | ((x >> s) & run);
    }
}
