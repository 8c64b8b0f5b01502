using System.Numerics;

namespace Sae.Core.Activations;

/// <summary>Finds values that training and evaluation must not take: NaN and ±infinity.</summary>
public static class FiniteValues
{
    /// <summary>The index of the first NaN or infinite value of <paramref name="values"/>, or −1 when all are finite.</summary>
    public static int FirstNonFinite(ReadOnlySpan<float> values)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && values.Length >= Vector<float>.Count)
        {
            // x − x is 0 for every finite x and NaN for NaN and ±∞, so a block is clean iff all its differences are 0.
            var vectors = System.Runtime.InteropServices.MemoryMarshal.Cast<float, Vector<float>>(values);
            for (var v = 0; v < vectors.Length; v++)
            {
                var block = vectors[v];
                if (!Vector.EqualsAll(block - block, Vector<float>.Zero)) return Scalar(values, v * Vector<float>.Count);
            }
            i = vectors.Length * Vector<float>.Count;
        }
        return Scalar(values, i);
    }

    private static int Scalar(ReadOnlySpan<float> values, int start)
    {
        for (var i = start; i < values.Length; i++)
            if (!float.IsFinite(values[i])) return i;
        return -1;
    }

    /// <summary>
    /// Reads every row of <paramref name="source"/> in blocks and throws at the first non-finite value, so that a
    /// training that reads the whole table can refuse it before its first step.
    /// </summary>
    /// <exception cref="NonFiniteActivationException">A value is NaN or infinite; the message names the row and column.</exception>
    public static void Check(IActivationSource source, CancellationToken cancellationToken = default)
    {
        var rowsPerBlock = (int)Math.Max(1, Math.Min(source.Count, (1 << 20) / Math.Max(1, source.Dimension)));
        var rows = new long[rowsPerBlock];
        var buffer = new float[rowsPerBlock * source.Dimension];
        for (long start = 0; start < source.Count; start += rowsPerBlock)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var n = (int)Math.Min(rowsPerBlock, source.Count - start);
            for (var j = 0; j < n; j++) rows[j] = start + j;
            source.CopyRows(rows.AsSpan(0, n), buffer);
            ThrowIfNonFinite(source, rows.AsSpan(0, n), buffer.AsSpan(0, n * source.Dimension));
        }
    }

    /// <summary>The name and value of the first weight of <paramref name="weights"/> (in their order) that holds a NaN or an infinity, or null.</summary>
    public static (string Name, float Value)? FirstNonFiniteWeight<T>(IEnumerable<KeyValuePair<string, T>> weights) where T : TorchSharp.torch.Tensor
    {
        foreach (var (name, weight) in weights)
        {
            using var scope = TorchSharp.torch.NewDisposeScope();
            var finite = weight.isfinite();
            if (!finite.all().item<bool>()) return (name, weight.masked_select(finite.logical_not())[0].to_type(TorchSharp.torch.ScalarType.Float32).item<float>());
        }
        return null;
    }

    /// <summary>Throws if <paramref name="values"/>, rows <paramref name="rows"/> of <paramref name="source"/> one after another, hold a non-finite value.</summary>
    /// <exception cref="NonFiniteActivationException">One does; the message names its row of the source and its column.</exception>
    public static void ThrowIfNonFinite(IActivationSource source, ReadOnlySpan<long> rows, ReadOnlySpan<float> values)
    {
        var bad = FirstNonFinite(values);
        if (bad >= 0) throw new NonFiniteActivationException(source.Description, rows[bad / source.Dimension], bad % source.Dimension, values[bad]);
    }
}
