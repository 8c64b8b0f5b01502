using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Sae.Core.Activations;

/// <summary>
/// Activations in a TorchSharp tensor [rows, d]: used as they are when the tensor is float32,
/// contiguous and on the CPU, copied otherwise. The caller's tensor is never disposed here.
/// </summary>
public sealed class TensorActivations : IActivationSource
{
    private readonly Tensor _values;
    private readonly bool _owned;

    /// <summary>Wraps <paramref name="activations"/>.</summary>
    /// <exception cref="ArgumentException">The tensor is not 2-D floating point with at least one row and column.</exception>
    public TensorActivations(Tensor activations)
    {
        if (activations.dim() != 2 || activations.shape[0] < 1 || activations.shape[1] < 1 || !is_floating_point(activations))
            throw new ArgumentException($"Activations must be a non-empty 2-D floating-point tensor [rows, d]; got {activations.dtype} [{string.Join(", ", activations.shape)}].", nameof(activations));
        _owned = activations.dtype != ScalarType.Float32 || !activations.is_contiguous() || activations.device.type != TorchSharp.DeviceType.CPU;
        if (!_owned)
        {
            _values = activations;
            return;
        }
        // In a scope, which keeps the chain's temporaries referenced during the native calls that read them.
        using var scope = NewDisposeScope();
        _values = activations.to_type(ScalarType.Float32).cpu().contiguous().DetachFromDisposeScope();
    }

    /// <inheritdoc />
    public int Dimension => (int)_values.shape[1];

    /// <inheritdoc />
    public long Count => _values.shape[0];

    /// <inheritdoc />
    public void CopyRows(ReadOnlySpan<long> rows, Span<float> destination) =>
        RowTable.CopyRows(MemoryMarshal.Cast<byte, float>(_values.bytes), Dimension, rows, destination);

    /// <inheritdoc />
    public void Dispose()
    {
        if (_owned) _values.Dispose();
    }
}
