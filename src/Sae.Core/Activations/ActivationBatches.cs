using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Sae.Core.Activations;

/// <summary>
/// Shuffled batches of an <see cref="IActivationSource"/>: the batch of step s holds positions
/// s·B … s·B + B − 1 of an endless stream that visits every row once per epoch, each epoch in its own
/// <see cref="RowPermutation"/> order. A batch depends only on (seed, step), so training resumes
/// exactly. One tensor is reused for every batch.
/// </summary>
public sealed class ActivationBatches : IDisposable
{
    private readonly IActivationSource _source;
    private readonly RowPermutation _permutation;
    private readonly long[] _rows;
    private readonly Tensor _batch;
    private readonly Tensor? _onDevice;
    private readonly bool _checkFinite;

    /// <summary>Batches of <paramref name="batchSize"/> rows of <paramref name="source"/>, shuffled by <paramref name="seed"/>, on <paramref name="device"/> (CPU by default).</summary>
    /// <param name="source">The activations.</param>
    /// <param name="batchSize">Rows per batch.</param>
    /// <param name="seed">The shuffle's seed.</param>
    /// <param name="device">Where the batches go.</param>
    /// <param name="checkFinite">Refuse each batch that holds NaN or an infinity; false where the whole source was checked already (<see cref="FiniteValues.Check"/>).</param>
    public ActivationBatches(IActivationSource source, int batchSize, ulong seed, Device? device = null, bool checkFinite = true)
    {
        _checkFinite = checkFinite;
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        _source = source;
        BatchSize = batchSize;
        _permutation = new RowPermutation(source.Count, seed);
        _rows = new long[batchSize];
        _batch = empty(batchSize, source.Dimension, float32).DetachFromDisposeScope();
        if (device is not null && device.type != TorchSharp.DeviceType.CPU)
            _onDevice = empty(batchSize, source.Dimension, float32, device).DetachFromDisposeScope();
    }

    /// <summary>Rows per batch.</summary>
    public int BatchSize { get; }

    /// <summary>The batch of <paramref name="step"/> [B, d]; the tensor is reused by the next call.</summary>
    /// <exception cref="NonFiniteActivationException">A row of the batch holds NaN or an infinity (when checked).</exception>
    public Tensor Batch(long step)
    {
        var count = _source.Count;
        for (var j = 0; j < BatchSize; j++)
        {
            var position = step * BatchSize + j;
            _rows[j] = _permutation[position / count, position % count];
        }
        var values = MemoryMarshal.Cast<byte, float>(_batch.bytes);
        _source.CopyRows(_rows, values);
        if (_checkFinite) FiniteValues.ThrowIfNonFinite(_source, _rows, values);
        return _onDevice is null ? _batch : _onDevice.copy_(_batch);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _batch.Dispose();
        _onDevice?.Dispose();
    }
}
