namespace Sae.Core.Activations;

/// <summary>
/// A pseudo-random permutation of 0..n−1 for each (seed, epoch), computed one index at a time (a
/// four-round Feistel network on the smallest even-bit domain ≥ n, walking cycles back into range).
/// It needs no memory and no state, so the batch of any step can be computed directly: a resumed run
/// reads exactly the rows an uninterrupted one would have.
/// </summary>
public sealed class RowPermutation
{
    private readonly long _count;
    private readonly int _halfBits;
    private readonly ulong _halfMask;
    private readonly ulong _seed;

    /// <summary>Permutations of 0..<paramref name="count"/>−1 keyed by <paramref name="seed"/>.</summary>
    public RowPermutation(long count, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        _count = count;
        _seed = seed;
        var bits = 2;
        while ((1L << bits) < count) bits += 2;
        _halfBits = bits / 2;
        _halfMask = (1UL << _halfBits) - 1;
    }

    /// <summary>The row at position <paramref name="index"/> of epoch <paramref name="epoch"/>'s order.</summary>
    public long this[long epoch, long index]
    {
        get
        {
            var x = (ulong)index;
            do x = Encrypt(x, (ulong)epoch);
            while (x >= (ulong)_count);
            return (long)x;
        }
    }

    private ulong Encrypt(ulong x, ulong epoch)
    {
        var left = x >> _halfBits;
        var right = x & _halfMask;
        for (ulong round = 0; round < 4; round++)
        {
            var mixed = Mix(right ^ Mix(_seed ^ Mix(epoch * 4 + round + 1))) & _halfMask;
            (left, right) = (right, left ^ mixed);
        }
        return (left << _halfBits) | right;
    }

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
