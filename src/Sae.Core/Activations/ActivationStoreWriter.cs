using System.Text.Json;
using Sae.Core.IO;

namespace Sae.Core.Activations;

/// <summary>
/// Writes an <see cref="ActivationStore"/> as rows arrive: rows gather in one reused buffer (grown up to a shard) and leave
/// as whole .npy shards; the manifest is written by <see cref="Complete"/>, last, so the directory
/// holds a readable store only once every shard is in place (an existing manifest is removed first).
/// </summary>
public sealed class ActivationStoreWriter
{
    private readonly string _directory;
    private float[] _buffer;
    private readonly int _rowsPerShard;
    private readonly List<ActivationStore.ShardEntry> _shards = [];
    private int _buffered;
    private bool _completed;

    /// <summary>Starts a store of <paramref name="dimension"/>-wide rows in <paramref name="directory"/>, with at most <paramref name="rowsPerShard"/> rows per shard.</summary>
    public ActivationStoreWriter(string directory, int dimension, int rowsPerShard = 1 << 18)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(rowsPerShard, 1);
        if ((long)dimension * rowsPerShard > Array.MaxLength) throw new ArgumentOutOfRangeException(nameof(rowsPerShard), rowsPerShard, $"A shard of {rowsPerShard} rows of {dimension} is too large for one buffer.");
        _directory = directory;
        Dimension = dimension;
        _rowsPerShard = rowsPerShard;
        _buffer = new float[(long)dimension * Math.Min(rowsPerShard, 1024)];
        Directory.CreateDirectory(directory);
        File.Delete(Path.Combine(directory, ActivationStore.ManifestFileName));
    }

    /// <summary>Width of every row.</summary>
    public int Dimension { get; }

    /// <summary>Rows written so far.</summary>
    public long Count => _shards.Sum(s => s.Rows) + _buffered;

    /// <summary>Appends whole rows: <paramref name="rows"/> holds rows of <see cref="Dimension"/> floats one after another.</summary>
    /// <exception cref="ArgumentException">The values are not whole rows.</exception>
    public void Append(ReadOnlySpan<float> rows)
    {
        if (_completed) throw new InvalidOperationException("The store is complete.");
        if (rows.Length % Dimension != 0) throw new ArgumentException($"{rows.Length} values are not whole rows of {Dimension}.", nameof(rows));
        while (!rows.IsEmpty)
        {
            var take = Math.Min(rows.Length / Dimension, _rowsPerShard - _buffered);
            if ((_buffered + take) * Dimension > _buffer.Length) // grow towards a whole shard only as rows come
                Array.Resize(ref _buffer, (int)Math.Min((long)_rowsPerShard * Dimension, Math.Max(2L * _buffer.Length, (long)(_buffered + take) * Dimension)));
            rows[..(take * Dimension)].CopyTo(_buffer.AsSpan(_buffered * Dimension));
            _buffered += take;
            rows = rows[(take * Dimension)..];
            if (_buffered == _rowsPerShard) Flush();
        }
    }

    /// <summary>Writes the last shard and the manifest.</summary>
    public void Complete()
    {
        if (_completed) return;
        Flush();
        AtomicFile.WriteAllText(Path.Combine(_directory, ActivationStore.ManifestFileName),
            JsonSerializer.Serialize(new ActivationStore.Manifest(Dimension, _shards), new JsonSerializerOptions { WriteIndented = true }));
        _completed = true;
    }

    private void Flush()
    {
        if (_buffered == 0) return;
        var name = $"shard-{_shards.Count:D5}.npy";
        NpyFile.Write(Path.Combine(_directory, name), _buffer.AsSpan(0, _buffered * Dimension), Dimension);
        _shards.Add(new ActivationStore.ShardEntry(name, _buffered));
        _buffered = 0;
    }
}
