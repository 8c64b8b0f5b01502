using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sae.Core.Activations;

/// <summary>
/// An on-disk activation store: a directory of float32 .npy shards [rows, d] and a
/// <c>manifest.json</c> listing them in order. Each shard is memory-mapped, so a store larger than
/// memory trains like a small one; shards are written whole (temporary file, then rename) and the
/// manifest last, so a store is either complete or absent.
/// </summary>
public sealed class ActivationStore : IActivationSource
{
    /// <summary>The manifest's file name.</summary>
    public const string ManifestFileName = "manifest.json";

    private readonly NpyActivations[] _shards;
    private readonly long[] _starts;

    private ActivationStore(NpyActivations[] shards, string directory)
    {
        _shards = shards;
        Description = directory;
        _starts = new long[shards.Length + 1];
        for (var i = 0; i < shards.Length; i++) _starts[i + 1] = _starts[i] + shards[i].Count;
        Dimension = shards[0].Dimension;
    }

    /// <inheritdoc />
    public int Dimension { get; }

    /// <inheritdoc />
    public long Count => _starts[^1];

    /// <inheritdoc />
    public string Description { get; }

    /// <summary>Whether <paramref name="path"/> is a store directory (it has a manifest).</summary>
    public static bool IsStore(string path) => File.Exists(Path.Combine(path, ManifestFileName));

    /// <summary>Opens the store in <paramref name="directory"/>.</summary>
    /// <exception cref="InvalidDataException">The manifest is missing or invalid, or a shard disagrees with it.</exception>
    public static ActivationStore Open(string directory)
    {
        var manifestPath = Path.Combine(directory, ManifestFileName);
        if (!File.Exists(manifestPath)) throw new InvalidDataException($"{directory}: not an activation store (no {ManifestFileName})");
        Manifest manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<Manifest>(File.ReadAllText(manifestPath)) ?? throw new InvalidDataException($"{manifestPath}: empty manifest");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{manifestPath}: not a valid manifest: {e.Message}", e);
        }
        if (manifest.Shards is not { Count: > 0 }) throw new InvalidDataException($"{manifestPath}: the store lists no shards");
        var shards = new List<NpyActivations>();
        try
        {
            foreach (var entry in manifest.Shards)
            {
                if (entry?.File is not { Length: > 0 } name)
                    throw new InvalidDataException($"{manifestPath}: a shard entry has no file name");
                if (name.Contains('/') || name.Contains('\\') || name.Contains("..") || name == ".")
                    throw new InvalidDataException($"{manifestPath}: shard name '{name}' is not a plain file name");
                var shardPath = Path.Combine(directory, name);
                if (!File.Exists(shardPath)) throw new InvalidDataException($"{manifestPath}: shard {name} is listed but missing");
                var shard = new NpyActivations(shardPath);
                shards.Add(shard);
                if (shard.Count != entry.Rows || shard.Dimension != manifest.Dimension)
                    throw new InvalidDataException($"{manifestPath}: shard {entry.File} holds [{shard.Count}, {shard.Dimension}]; the manifest says [{entry.Rows}, {manifest.Dimension}]");
            }
            return new ActivationStore([.. shards], directory);
        }
        catch
        {
            foreach (var shard in shards) shard.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Writes a store of <paramref name="rows"/> (each d floats) into <paramref name="directory"/>, in
    /// shards of at most <paramref name="rowsPerShard"/> rows. <paramref name="rows"/> is read once, in order.
    /// </summary>
    public static void Write(string directory, int dimension, IEnumerable<float[]> rows, int rowsPerShard = 1 << 20)
    {
        var writer = new ActivationStoreWriter(directory, dimension, rowsPerShard);
        foreach (var row in rows)
        {
            if (row.Length != dimension) throw new ArgumentException($"Row {writer.Count} has {row.Length} values; the store's d is {dimension}.", nameof(rows));
            writer.Append(row);
        }
        writer.Complete();
    }

    /// <inheritdoc />
    public void CopyRows(ReadOnlySpan<long> rows, Span<float> destination)
    {
        var d = Dimension;
        Span<long> one = stackalloc long[1];
        for (var i = 0; i < rows.Length; i++)
        {
            var shard = Array.BinarySearch(_starts, rows[i]);
            shard = shard >= 0 ? shard : ~shard - 1;
            while (_starts[shard + 1] <= rows[i]) shard++; // skip empty shards
            one[0] = rows[i] - _starts[shard];
            _shards[shard].CopyRows(one, destination.Slice(i * d, d));
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var shard in _shards) shard.Dispose();
    }

    internal sealed record Manifest(
        [property: JsonPropertyName("dimension")] int Dimension,
        [property: JsonPropertyName("shards")] IReadOnlyList<ShardEntry> Shards);

    internal sealed record ShardEntry(
        [property: JsonPropertyName("file")] string File,
        [property: JsonPropertyName("rows")] long Rows);
}
