namespace Sae.Core.Activations;

/// <summary>Activations held in a managed array [rows, d].</summary>
public sealed class InMemoryActivations : IActivationSource
{
    private readonly float[,] _values;

    /// <summary>Wraps <paramref name="values"/> (not copied).</summary>
    public InMemoryActivations(float[,] values)
    {
        if (values.GetLength(1) < 1) throw new ArgumentException("Activations need at least one column.", nameof(values));
        _values = values;
    }

    /// <inheritdoc />
    public int Dimension => _values.GetLength(1);

    /// <inheritdoc />
    public long Count => _values.GetLength(0);

    /// <inheritdoc />
    public void CopyRows(ReadOnlySpan<long> rows, Span<float> destination)
    {
        var d = Dimension;
        var all = System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpan(ref _values[0, 0], _values.Length);
        for (var i = 0; i < rows.Length; i++)
            all.Slice(checked((int)(rows[i] * d)), d).CopyTo(destination.Slice(i * d, d));
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
