using System.Buffers.Binary;

namespace Sae.Games.Othello;

/// <summary>
/// Reads an <see cref="OthelloGameFile"/> dataset: the header is checked when the file is opened,
/// and games stream from disk one buffer at a time, so a dataset never has to fit in memory.
/// Not thread-safe: give each thread its own reader.
/// </summary>
public sealed class OthelloGameFileReader : IDisposable
{
    private const int RecordsPerRead = 4096;
    private readonly FileStream _stream;

    internal OthelloGameFileReader(string path)
    {
        FilePath = Path.GetFullPath(path);
        _stream = new FileStream(FilePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            Span<byte> header = stackalloc byte[OthelloGameFile.HeaderLength];
            var read = _stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
            if (read < header.Length)
                throw Invalid($"truncated: {read} bytes, but the header alone is {OthelloGameFile.HeaderLength}");
            if (!header[..8].SequenceEqual(OthelloGameFile.Magic))
                throw Invalid("not an Othello game file (it does not start with \"SAEOTHLO\")");
            var version = BinaryPrimitives.ReadUInt16LittleEndian(header[8..]);
            if (version != OthelloGameFile.Version)
                throw Invalid($"format version {version}; this library reads version {OthelloGameFile.Version}");
            var recordLength = BinaryPrimitives.ReadUInt16LittleEndian(header[10..]);
            if (recordLength != OthelloGameFile.RecordLength)
                throw Invalid($"record length {recordLength}; version {OthelloGameFile.Version} has {OthelloGameFile.RecordLength}");
            var count = BinaryPrimitives.ReadUInt64LittleEndian(header[16..]);
            Seed = BinaryPrimitives.ReadUInt64LittleEndian(header[24..]);
            var expected = OthelloGameFile.HeaderLength + (decimal)count * OthelloGameFile.RecordLength;
            if (_stream.Length < expected)
                throw Invalid($"truncated: the header promises {count} games ({expected} bytes) but the file has {_stream.Length} bytes");
            if (_stream.Length > expected)
                throw Invalid($"{_stream.Length - expected} bytes follow the {count} games the header promises");
            GameCount = (long)count;
        }
        catch
        {
            _stream.Dispose();
            throw;
        }
    }

    /// <summary>The full path of the file.</summary>
    public string FilePath { get; }

    /// <summary>The number of games in the file.</summary>
    public long GameCount { get; }

    /// <summary>The seed the games were generated with (0 when they were not generated).</summary>
    public ulong Seed { get; }

    /// <summary>
    /// Reads the raw records of games <paramref name="firstGame"/> onward into
    /// <paramref name="destination"/> (whole records only) and returns how many games it read.
    /// The records are checked for form, not replayed.
    /// </summary>
    /// <exception cref="InvalidGameFileException">A record is malformed.</exception>
    public int ReadRecords(long firstGame, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstGame);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(firstGame, GameCount);
        var count = (int)Math.Min(destination.Length / OthelloGameFile.RecordLength, GameCount - firstGame);
        var bytes = destination[..(count * OthelloGameFile.RecordLength)];
        _stream.Position = OthelloGameFile.HeaderLength + firstGame * OthelloGameFile.RecordLength;
        _stream.ReadExactly(bytes);
        for (var i = 0; i < count; i++)
        {
            try
            {
                OthelloGameFile.MoveCount(bytes.Slice(i * OthelloGameFile.RecordLength, OthelloGameFile.RecordLength));
            }
            catch (InvalidDataException e)
            {
                throw Invalid($"game {firstGame + i + 1}: {e.Message}", e);
            }
        }
        return count;
    }

    /// <summary>Game <paramref name="index"/> (0-based), replayed.</summary>
    /// <exception cref="InvalidGameFileException">The record is malformed or its moves are illegal.</exception>
    public OthelloGame ReadGame(long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, GameCount);
        Span<byte> record = stackalloc byte[OthelloGameFile.RecordLength];
        ReadRecords(index, record);
        return Replay(index, record);
    }

    /// <summary>Streams the games <paramref name="first"/> onward (all of them by default), replayed, in file order.</summary>
    /// <exception cref="InvalidGameFileException">A record is malformed or its moves are illegal.</exception>
    public IEnumerable<OthelloGame> ReadGames(long first = 0, long? count = null)
    {
        var end = count is { } n ? Math.Min(GameCount, first + n) : GameCount;
        var buffer = new byte[RecordsPerRead * OthelloGameFile.RecordLength];
        for (var next = first; next < end;)
        {
            var read = ReadRecords(next, buffer);
            for (var i = 0; i < read && next + i < end; i++)
                yield return Replay(next + i, buffer.AsSpan(i * OthelloGameFile.RecordLength, OthelloGameFile.RecordLength));
            next += read;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();

    private OthelloGame Replay(long index, ReadOnlySpan<byte> record)
    {
        try
        {
            return OthelloGame.FromSquareIndices(record[..OthelloGameFile.MoveCount(record)]);
        }
        catch (IllegalMoveException e)
        {
            throw Invalid($"game {index + 1}: {e.Message}", e);
        }
    }

    private InvalidGameFileException Invalid(string problem, Exception? inner = null) => new(FilePath, problem, inner);
}
