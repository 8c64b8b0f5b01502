using System.IO.MemoryMappedFiles;

namespace Sae.Core.Activations;

/// <summary>
/// Activations in a 2-D float32 .npy file, memory-mapped: rows are read from the page cache as
/// batches ask for them, so a file larger than memory trains as well as a small one.
/// </summary>
public sealed class NpyActivations : IActivationSource
{
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly long _dataOffset;

    /// <summary>Opens <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a 2-D float32 C-order .npy or is truncated.</exception>
    public NpyActivations(string path)
    {
        (Count, Dimension, _dataOffset) = NpyFile.ReadHeader(path);
        if (Count == 0) throw new InvalidDataException($"{path}: the file holds no activations (0 rows)");
        _file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        _view = _file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
    }

    /// <inheritdoc />
    public int Dimension { get; }

    /// <inheritdoc />
    public long Count { get; }

    /// <inheritdoc />
    public unsafe void CopyRows(ReadOnlySpan<long> rows, Span<float> destination)
    {
        byte* start = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref start);
        try
        {
            var data = (float*)(start + _view.PointerOffset + _dataOffset);
            var d = Dimension;
            for (var i = 0; i < rows.Length; i++)
                new ReadOnlySpan<float>(data + rows[i] * d, d).CopyTo(destination.Slice(i * d, d));
        }
        finally
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _view.Dispose();
        _file.Dispose();
    }
}
