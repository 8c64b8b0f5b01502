using static TorchSharp.torch;

namespace Sae.Core.Training;

/// <summary>
/// The bfloat16 copies of a training step's matrix-product operands, so that no operand is cast more than once per
/// step: the first product to use a float32 tensor casts it into a kept bfloat16 buffer, later products of the same
/// step reuse that copy. Between steps the buffers are kept (a steady loop allocates none) but their contents are
/// stale: the next step refills each on first use. A tensor written as a product's output is forgotten at once, so a
/// buffer reused for another quantity within a step is cast again; other in-place changes to an operand after its
/// first product are not seen, and a step must not make them.
/// </summary>
internal sealed class ProductOperands : IDisposable
{
    private sealed class Copy(Tensor value)
    {
        public Tensor Value { get; set; } = value;

        public bool Current { get; set; } = true;

        public bool Used { get; set; } = true;
    }

    private readonly Dictionary<IntPtr, Copy> _copies = [];

    /// <summary>How many casts this has made in all (a copy made or refilled counts one).</summary>
    public int Casts { get; private set; }

    /// <summary>Whether copies are being kept: between <see cref="BeginStep"/> and <see cref="EndStep"/>.</summary>
    public bool InStep { get; private set; }

    /// <summary>Starts a step: every kept copy is stale until used again.</summary>
    public void BeginStep()
    {
        foreach (var copy in _copies.Values) copy.Current = copy.Used = false;
        InStep = true;
    }

    /// <summary>
    /// <paramref name="source"/> (float32) as <paramref name="type"/>: within a step the copy made on its first use;
    /// outside one, a fresh copy the caller's dispose scope owns.
    /// </summary>
    public Tensor Of(Tensor source, ScalarType type)
    {
        if (!InStep)
        {
            Casts++;
            return source.to(type);
        }
        if (_copies.TryGetValue(source.Handle, out var copy) && copy.Value.shape.SequenceEqual(source.shape) && copy.Value.dtype == type)
        {
            if (!copy.Current)
            {
                copy.Value.copy_(source);
                Casts++;
            }
            copy.Current = copy.Used = true;
            return copy.Value;
        }
        copy?.Value.Dispose();
        Casts++;
        var value = source.to(type).DetachFromDisposeScope();
        _copies[source.Handle] = new Copy(value);
        return value;
    }

    /// <summary>Marks <paramref name="tensor"/> as changed: its copy, if any, is refilled on its next use.</summary>
    public void Changed(Tensor tensor)
    {
        if (_copies.TryGetValue(tensor.Handle, out var copy)) copy.Current = false;
    }

    /// <summary>Ends a step, releasing the copies it did not use (of tensors that were this step's only).</summary>
    public void EndStep()
    {
        InStep = false;
        foreach (var (handle, copy) in _copies.Where(c => !c.Value.Used).ToList())
        {
            copy.Value.Dispose();
            _copies.Remove(handle);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var copy in _copies.Values) copy.Value.Dispose();
        _copies.Clear();
    }
}
