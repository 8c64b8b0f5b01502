using static TorchSharp.torch;

namespace Sae.Core.Training;

/// <summary>
/// Work tensors for training steps, [batch, columns] float32 each, kept from step to step and allocated
/// again only when the batch size changes, so that a steady training loop allocates none of them. Trainers
/// whose steps run one after another (a sweep, <see cref="SaeTraining.Run"/>) share one set: a step takes
/// the buffers it asks for and must not expect their contents to survive until its next call.
/// </summary>
internal sealed class StepBuffers : IDisposable
{
    private readonly Device _device;
    private readonly Dictionary<long, List<Tensor>> _byWidth = [];
    private long _batch = -1;

    /// <summary>Buffers on <paramref name="device"/>.</summary>
    public StepBuffers(Device device) => _device = device;

    /// <summary>The device the buffers are on.</summary>
    public Device Device => _device;

    /// <summary>The bfloat16 copies of the steps' product operands, shared like the buffers.</summary>
    public ProductOperands Operands { get; } = new();

    /// <summary>
    /// Distinct buffers of <paramref name="batch"/> rows and, in order, <paramref name="columns"/> columns.
    /// Their contents are undefined until written.
    /// </summary>
    public Tensor[] For(long batch, params ReadOnlySpan<long> columns)
    {
        if (batch != _batch)
        {
            Release();
            _batch = batch;
        }
        var result = new Tensor[columns.Length];
        for (var i = 0; i < columns.Length; i++)
        {
            var width = columns[i];
            var taken = 0;
            for (var j = 0; j < i; j++) if (columns[j] == width) taken++;
            if (!_byWidth.TryGetValue(width, out var list)) _byWidth[width] = list = [];
            if (list.Count == taken) list.Add(empty(batch, width, device: _device).DetachFromDisposeScope());
            result[i] = list[taken];
        }
        return result;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Release();
        Operands.Dispose();
    }

    private void Release()
    {
        foreach (var tensor in _byWidth.Values.SelectMany(list => list)) tensor.Dispose();
        _byWidth.Clear();
        _batch = -1;
    }
}
