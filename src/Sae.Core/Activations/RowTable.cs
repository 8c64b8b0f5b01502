namespace Sae.Core.Activations;

/// <summary>Copies rows out of a row-major float table held in memory.</summary>
internal static class RowTable
{
    /// <summary>Copies rows <paramref name="rows"/> of the [?, <paramref name="dimension"/>] table <paramref name="table"/> into <paramref name="destination"/>, row after row.</summary>
    public static void CopyRows(ReadOnlySpan<float> table, int dimension, ReadOnlySpan<long> rows, Span<float> destination)
    {
        for (var i = 0; i < rows.Length; i++)
            table.Slice(checked((int)(rows[i] * dimension)), dimension).CopyTo(destination.Slice(i * dimension, dimension));
    }
}
