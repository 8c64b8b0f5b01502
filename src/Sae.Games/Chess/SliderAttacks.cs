using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Sae.Games.Chess;

/// <summary>
/// Rook and bishop attacks by table lookup ("fancy" magic bitboards): each square's relevant
/// blockers select one entry of a shared table. The index is the blockers' bits gathered with the
/// BMI2 PEXT instruction where it is fast, and otherwise a multiply-and-shift by a magic number.
/// The magic numbers below were found by this project's own seeded trial search (random sparse
/// candidates, kept when no two blocker sets that need different attacks share an index); the
/// tests check every entry of the table against a plain ray walk. AMD processors before Zen 3
/// (family 0x19) implement PEXT in microcode, hundreds of cycles, so they take the magic numbers.
/// </summary>
internal static class SliderAttacks
{
    /// <summary>The four rook directions, then the four bishop directions, as (file, rank) steps.</summary>
    public static readonly (int File, int Rank)[] Directions = [(1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, 1), (1, -1), (-1, -1)];

    /// <summary>Whether lookups gather with PEXT (true) or multiply by magic numbers.</summary>
    public static readonly bool UsesPext = Bmi2.X64.IsSupported && !IsSlowPextCpu();

    private static readonly ulong[] RookMagics =
    [
        0x2080002080400010UL, 0x00C0002001401000UL, 0x2100110008402002UL, 0x0880080081041000UL,
        0x0200020020041008UL, 0x2300040008010012UL, 0x0C00283004008201UL, 0x0180010000407A80UL,
        0x0168800080400020UL, 0x0010400040201000UL, 0x1001002001001048UL, 0x1001002408100100UL,
        0x0801000408010012UL, 0x4001000209000400UL, 0x08A20004C8020001UL, 0x2002801145002280UL,
        0x0080860021004200UL, 0x001000C009402002UL, 0x00B0002004002800UL, 0x100A808010020800UL,
        0x9400808004000800UL, 0x0090808004000200UL, 0x0000040010810208UL, 0x2000020000448534UL,
        0x4104400480008033UL, 0x0000810100204000UL, 0x0440430900200010UL, 0x4600240900100100UL,
        0x0804080100110004UL, 0x0001000300080400UL, 0x0004084400011002UL, 0x0023040200008041UL,
        0x0580050043002080UL, 0x0400804002802008UL, 0x0001002001004010UL, 0x0080200A02001040UL,
        0x600D480280802400UL, 0x400B800201800C00UL, 0x2408211004004208UL, 0x0200211082000844UL,
        0x0020804010208000UL, 0x5030004020104000UL, 0xA042084080220010UL, 0x4088080010008080UL,
        0x5002080100110004UL, 0x2012002010040400UL, 0x0040318210440008UL, 0x0120941040820001UL,
        0x1000800100402100UL, 0x0040002010004840UL, 0x8108450020001900UL, 0x0200204008120200UL,
        0x0080800C00180180UL, 0x0885000400420900UL, 0x230802011008C400UL, 0x3801740891432200UL,
        0x0A00250212024082UL, 0x0000882040001105UL, 0x0042102082000A42UL, 0xC401210810000501UL,
        0x0241001002480005UL, 0x0081000400880241UL, 0x0000009008024124UL, 0x0048122980410402UL,
    ];

    private static readonly ulong[] BishopMagics =
    [
        0x1862221006220044UL, 0x2104A14202020060UL, 0x2804081220444001UL, 0x2102408900010001UL,
        0x0002021000040002UL, 0x08C3100805004300UL, 0x1084040124920050UL, 0x8900440043382010UL,
        0x2401410802140040UL, 0x0901200454208020UL, 0x0000090216020541UL, 0x1283844040800804UL,
        0x0521840420000803UL, 0x0800010402400C40UL, 0x0000408E10100404UL, 0x0009810048420800UL,
        0x2004211004286808UL, 0x13080A1001380080UL, 0x0008801004220020UL, 0x0024000802480800UL,
        0x1461001190400401UL, 0x0020400200500440UL, 0x0003000409019000UL, 0x000C20820D011802UL,
        0x000804002164100CUL, 0x00048400A0011404UL, 0x5018110308044100UL, 0x0048A00804010020UL,
        0x0007840000802000UL, 0x8808A20075004220UL, 0x8014040000822100UL, 0x110C03000E251101UL,
        0x0081094820202010UL, 0x0008041000044100UL, 0x00C1202808940800UL, 0x8108100821040400UL,
        0x1240010010010041UL, 0x0810004080011000UL, 0x00A20C0401804A00UL, 0x40014C0020050500UL,
        0x5805082012042480UL, 0x2004022144031000UL, 0x2082002024204808UL, 0x0800004200800800UL,
        0x0410020204100A02UL, 0x80C1204080804101UL, 0x0010104E01800042UL, 0x000800810C400208UL,
        0x100080B008201210UL, 0x8000440605112101UL, 0x000202008C440040UL, 0x9004002210442200UL,
        0x2032014088222045UL, 0x0C00202222C20000UL, 0x0140040820A50100UL, 0x0222104C29024018UL,
        0x0200110121202004UL, 0x0800104200B00802UL, 0x0000401424020801UL, 0x4000000004208840UL,
        0x0802E00040104100UL, 0x03000020A0424080UL, 0x0011C00408188121UL, 0x0848020822040013UL,
    ];

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
        for (var s = 0; s < 64; s++)
        {
            offset = Fill(Rook, s, rook: true, RookMagics[s], offset);
            offset = Fill(Bishop, s, rook: false, BishopMagics[s], offset);
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Fill(Entry[] entries, int square, bool rook, ulong magic, int offset)
    {
        ref var e = ref entries[square];
        e.Mask = RelevantMask(square, rook);
        e.Magic = magic;
        e.Shift = 64 - BitOperations.PopCount(e.Mask);
        e.Offset = offset;
        ulong blockers = 0;
        do
        {
            var index = UsesPext ? (int)Bmi2.X64.ParallelBitExtract(blockers, e.Mask) : (int)(blockers * magic >> e.Shift);
            Table[offset + index] = SlowAttacks(square, blockers, rook);
            blockers = (blockers - e.Mask) & e.Mask; // the next subset of the mask (carry-rippler)
        }
        while (blockers != 0);
        return offset + (1 << (64 - e.Shift));
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

    /// <summary>The attacks of a rook (or bishop) found by walking each ray to the first blocker: slow, the definition the tables are checked against.</summary>
    internal static ulong SlowAttacks(int square, ulong occupied, bool rook)
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
