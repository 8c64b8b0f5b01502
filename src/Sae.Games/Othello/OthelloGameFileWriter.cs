namespace Sae.Games.Othello;

/// <summary>
/// Writes an <see cref="OthelloGameFile"/> dataset. Records go to a temporary file beside the
/// target; <see cref="Commit"/> fills in the header and renames it into place, and disposing an
/// uncommitted writer deletes it, so a crash or cancellation never leaves a half-written dataset.
/// </summary>
public sealed class OthelloGameFileWriter : IDisposable
{
    private readonly string _path;
    private readonly string _tempPath;
    private readonly ulong _seed;
    private FileStream? _stream;

    internal OthelloGameFileWriter(string path, ulong seed)
    {
        _path = Path.GetFullPath(path);
        _seed = seed;
        _tempPath = $"{_path}.{Guid.NewGuid():N}.tmp";
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        _stream = new FileStream(_tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
        _stream.Write(new byte[OthelloGameFile.HeaderLength]);
    }

    /// <summary>The number of games appended so far.</summary>
    public long GameCount { get; private set; }

    /// <summary>Appends a game.</summary>
    public void Append(OthelloGame game)
    {
        Span<byte> record = stackalloc byte[OthelloGameFile.RecordLength];
        record.Fill(OthelloGameFile.Padding);
        var i = 0;
        foreach (var move in game.Moves) record[i++] = (byte)move.Index;
        AppendRecords(record);
    }

    /// <summary>
    /// Appends whole records (a multiple of <see cref="OthelloGameFile.RecordLength"/> bytes), as
    /// <see cref="RandomOthelloGames.Fill"/> makes them. Their moves are not replayed here.
    /// </summary>
    /// <exception cref="ArgumentException">The length is not a whole number of records, or a record is malformed.</exception>
    public void AppendRecords(ReadOnlySpan<byte> records)
    {
        var stream = _stream ?? throw new ObjectDisposedException(nameof(OthelloGameFileWriter), "The dataset was already committed or disposed.");
        if (records.Length % OthelloGameFile.RecordLength != 0)
            throw new ArgumentException($"{records.Length} bytes is not a whole number of {OthelloGameFile.RecordLength}-byte records.", nameof(records));
        for (var offset = 0; offset < records.Length; offset += OthelloGameFile.RecordLength)
        {
            try
            {
                OthelloGameFile.MoveCount(records.Slice(offset, OthelloGameFile.RecordLength));
            }
            catch (InvalidDataException e)
            {
                throw new ArgumentException($"Record {offset / OthelloGameFile.RecordLength}: {e.Message}.", nameof(records), e);
            }
        }
        stream.Write(records);
        GameCount += records.Length / OthelloGameFile.RecordLength;
    }

    /// <summary>Writes the header and moves the finished dataset to its path (replacing any file there).</summary>
    public void Commit()
    {
        var stream = _stream ?? throw new ObjectDisposedException(nameof(OthelloGameFileWriter), "The dataset was already committed or disposed.");
        Span<byte> header = stackalloc byte[OthelloGameFile.HeaderLength];
        OthelloGameFile.WriteHeader(header, (ulong)GameCount, _seed);
        stream.Position = 0;
        stream.Write(header);
        stream.Flush(flushToDisk: true);
        stream.Dispose();
        _stream = null;
        File.Move(_tempPath, _path, overwrite: true);
    }

    /// <summary>Deletes the temporary file unless <see cref="Commit"/> ran.</summary>
    public void Dispose()
    {
        if (_stream is null) return;
        _stream.Dispose();
        _stream = null;
        File.Delete(_tempPath);
    }
}
