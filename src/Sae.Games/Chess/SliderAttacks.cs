using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Sae.Games.Chess;

/// <summary>
/// Rook and bishop attacks by table lookup ("fancy" magic bitboards): each square's relevant
/// blockers select one entry of a shared table. The index is the blockers' bits gathered with the
/// BMI2 PEXT instruction where it is fast, and otherwise a multiply-and-shift by a magic number
/// found once, at start-up, by a seeded search (a few milliseconds). AMD processors before Zen 3
/// (family 0x19) implement PEXT in microcode, hundreds of cycles, so they take the magic numbers.
/// </summary>
internal static class SliderAttacks
{
    /// <summary>The four rook directions, then the four bishop directions, as (file, rank) steps.</summary>
    public static readonly (int File, int Rank)[] Directions = [(1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, 1), (1, -1), (-1, -1)];

    /// <summary>Whether lookups gather with PEXT (true) or multiply by magic numbers.</summary>
    public static readonly bool UsesPext = Bmi2.X64.IsSupported && !IsSlowPextCpu();

    private static readonly ulong[] Table;
    private static readonly Entry[] Rook = new Entry[64];
    private static readonly Entry[] Bishop = new Entry[64];

    private struct Entry
    {
        public ulong Mask;
        public ulong Magic;
        public int Shift;
        public int Offset;
    }

    static SliderAttacks()
    {
        var size = 0;
        for (var s = 0; s < 64; s++)
        {
            size += 1 << BitOperations.PopCount(RelevantMask(s, rook: true));
            size += 1 << BitOperations.PopCount(RelevantMask(s, rook: false));
        }
        Table = new ulong[size];
        var offset = 0;
        var random = 0x9E3779B97F4A7C15UL;
        for (var s = 0; s < 64; s++)
        {
            offset = Fill(Rook, s, rook: true, offset, ref random);
            offset = Fill(Bishop, s, rook: false, offset, ref random);
        }
    }

    /// <summary>The squares a rook on <paramref name="square"/> attacks when <paramref name="occupied"/> is occupied.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong RookAttacks(int square, ulong occupied) => Lookup(ref Unsafe.Add(ref Rook[0], square), occupied);

    /// <summary>The squares a bishop on <paramref name="square"/> attacks when <paramref name="occupied"/> is occupied.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong BishopAttacks(int square, ulong occupied) => Lookup(ref Unsafe.Add(ref Bishop[0], square), occupied);

    /// <summary>The squares from <paramref name="square"/> (excluded) to the board's edge in one direction, on an empty board.</summary>
    public static ulong Ray(int square, int df, int dr) => Walk(square, df, dr, 0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Lookup(ref Entry e, ulong occupied)
    {
        var index = UsesPext
            ? (int)Bmi2.X64.ParallelBitExtract(occupied, e.Mask)
            : (int)((occupied & e.Mask) * e.Magic >> e.Shift);
        return Unsafe.Add(ref Table[0], e.Offset + index);
    }

    private static int Fill(Entry[] entries, int square, bool rook, int offset, ref ulong random)
    {
        var mask = RelevantMask(square, rook);
        var bits = BitOperations.PopCount(mask);
        var count = 1 << bits;
        var blockers = new ulong[count];
        var attacks = new ulong[count];
        ulong subset = 0;
        for (var i = 0; i < count; i++)
        {
            blockers[i] = subset;
            attacks[i] = SlowAttacks(square, subset, rook);
            subset = (subset - mask) & mask; // the next subset of the mask (carry-rippler)
        }
        ref var e = ref entries[square];
        e.Mask = mask;
        e.Shift = 64 - bits;
        e.Offset = offset;
        if (UsesPext)
        {
            for (var i = 0; i < count; i++)
                Table[offset + (int)Bmi2.X64.ParallelBitExtract(blockers[i], mask)] = attacks[i];
            return offset + count;
        }
        var used = new ulong[count];
        var epoch = new int[count];
        for (var attempt = 1; ; attempt++)
        {
            var magic = Next(ref random) & Next(ref random) & Next(ref random);
            if (BitOperations.PopCount((mask * magic) & 0xFF00000000000000UL) < 6) continue;
            var ok = true;
            for (var i = 0; i < count && ok; i++)
            {
                var index = (int)(blockers[i] * magic >> e.Shift);
                if (epoch[index] != attempt)
                {
                    epoch[index] = attempt;
                    used[index] = attacks[i];
                }
                else if (used[index] != attacks[i]) ok = false;
            }
            if (!ok) continue;
            e.Magic = magic;
            Array.Copy(used, 0, Table, offset, count);
            return offset + count;
        }
    }

    private static ulong RelevantMask(int square, bool rook)
    {
        ulong mask = 0;
        foreach (var (df, dr) in rook ? Directions[..4] : Directions[4..])
        {
            int f = (square & 7) + df, r = (square >> 3) + dr;
            // The last square of a ray never blocks anything beyond it, so it is not relevant.
            while ((uint)(f + df) < 8 && (uint)(r + dr) < 8)
            {
                mask |= 1UL << (8 * r + f);
                f += df;
                r += dr;
            }
        }
        return mask;
    }

    private static ulong SlowAttacks(int square, ulong occupied, bool rook)
    {
        ulong attacks = 0;
        foreach (var (df, dr) in rook ? Directions[..4] : Directions[4..])
            attacks |= Walk(square, df, dr, occupied);
        return attacks;
    }

    private static ulong Walk(int square, int df, int dr, ulong occupied)
    {
        ulong ray = 0;
        int f = (square & 7) + df, r = (square >> 3) + dr;
        while ((uint)f < 8 && (uint)r < 8)
        {
            var bit = 1UL << (8 * r + f);
            ray |= bit;
            if ((occupied & bit) != 0) break;
            f += df;
            r += dr;
        }
        return ray;
    }

    private static ulong Next(ref ulong state)
    {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
    }

    private static bool IsSlowPextCpu()
    {
        if (!X86Base.IsSupported) return false;
        var (_, ebx, ecx, edx) = X86Base.CpuId(0, 0);
        var isAmd = ebx == 0x68747541 && edx == 0x69746E65 && ecx == 0x444D4163; // "AuthenticAMD"
        if (!isAmd) return false;
        var eax = X86Base.CpuId(1, 0).Eax;
        var family = (eax >> 8 & 0xF) + (eax >> 20 & 0xFF);
        return family < 0x19;
    }
}
