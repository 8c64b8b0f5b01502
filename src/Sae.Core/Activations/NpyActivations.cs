using System.IO.MemoryMappedFiles;

namespace Sae.Core.Activations;

/// <summary>
/// Activations in a 2-D float32 .npy file, memory-mapped: rows are read from the page cache as
/// batches ask for them, so a file larger than memory trains as well as a small one. The mapping's
/// address is taken once, when the file is opened, so that reading a row costs one copy.
/// </summary>
public sealed unsafe class NpyActivations : IActivationSource
{
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly float* _data;

    /// <summary>Opens <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a 2-D float32 C-order .npy or is truncated.</exception>
    public NpyActivations(string path)
    {
        (Count, Dimension, var dataOffset) = NpyFile.ReadHeader(path);
        Description = path;
        if (Count == 0) throw new InvalidDataException($"{path}: the file holds no activations (0 rows)");
        _file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        _view = _file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        byte* start = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref start); // released in Dispose
        _data = (float*)(start + _view.PointerOffset + dataOffset);
    }

    /// <inheritdoc />
    public int Dimension { get; }

    /// <inheritdoc />
    public long Count { get; }

    /// <inheritdoc />
    public string Description { get; }

    /// <inheritdoc />
    public void CopyRows(ReadOnlySpan<long> rows, Span<float> destination)
    {
        ObjectDisposedException.ThrowIf(_view.SafeMemoryMappedViewHandle.IsClosed, this);
        var d = Dimension;
        for (var i = 0; i < rows.Length; i++)
        {
            if ((ulong)rows[i] >= (ulong)Count) throw new ArgumentOutOfRangeException(nameof(rows), rows[i], $"The file has rows 0..{Count - 1}.");
            new ReadOnlySpan<float>(_data + rows[i] * d, d).CopyTo(destination.Slice(i * d, d));
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_view.SafeMemoryMappedViewHandle.IsClosed) _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
    }
}
