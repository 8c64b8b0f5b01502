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
    public void CopyRows(ReadOnlySpan<long> rows, Span<float> destination) =>
        RowTable.CopyRows(System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpan(ref _values[0, 0], _values.Length), Dimension, rows, destination);

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
