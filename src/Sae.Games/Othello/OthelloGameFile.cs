using System.Buffers.Binary;

namespace Sae.Games.Othello;

/// <summary>
/// The on-disk format of an Othello game dataset (extension <c>.othello</c> by convention). A
/// 32-byte header, then one 60-byte record per game, so that game i is at a known offset:
/// <code>
/// offset size field
///      0    8 magic "SAEOTHLO"
///      8    2 format version (1), little-endian like every field
///     10    2 record length in bytes (60)
///     12    4 reserved, 0
///     16    8 number of games
///     24    8 seed the games were generated with (0 when not generated)
///     32  60n records: the moves as square indices 0..63, then 0xFF to the end of the record
/// </code>
/// </summary>
public static class OthelloGameFile
{
    /// <summary>The format version this library writes and reads.</summary>
    public const ushort Version = 1;

    /// <summary>The size of the header in bytes.</summary>
    public const int HeaderLength = 32;

    /// <summary>The size of one game record in bytes.</summary>
    public const int RecordLength = OthelloGame.MaxMoves;

    /// <summary>The byte that fills a record after the game's last move.</summary>
    public const byte Padding = 0xFF;

    internal static ReadOnlySpan<byte> Magic => "SAEOTHLO"u8;

    /// <summary>Starts writing a dataset at <paramref name="path"/>; nothing appears there until <see cref="OthelloGameFileWriter.Commit"/>.</summary>
    public static OthelloGameFileWriter Create(string path, ulong seed = 0) => new(path, seed);

    /// <summary>Opens a dataset for streaming or random access.</summary>
    /// <exception cref="InvalidGameFileException">The file is truncated, foreign or of another version.</exception>
    public static OthelloGameFileReader Open(string path) => new(path);

    /// <summary>The number of moves in a record (the index of its first padding byte).</summary>
    /// <exception cref="InvalidDataException">A byte is neither a square index nor padding, or a move follows padding.</exception>
    public static int MoveCount(ReadOnlySpan<byte> record)
    {
        var length = record.IndexOf(Padding);
        if (length < 0) length = record.Length;
        for (var i = 0; i < record.Length; i++)
        {
            if (i < length && record[i] > 63)
                throw new InvalidDataException($"byte {i} of the record is {record[i]}, neither a square index 0..63 nor padding 0xFF");
            if (i >= length && record[i] != Padding)
                throw new InvalidDataException($"byte {i} of the record is the move {record[i]} after the padding that ended the game");
        }
        return length;
    }

    internal static void WriteHeader(Span<byte> header, ulong gameCount, ulong seed)
    {
        header.Clear();
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header[8..], Version);
        BinaryPrimitives.WriteUInt16LittleEndian(header[10..], RecordLength);
        BinaryPrimitives.WriteUInt64LittleEndian(header[16..], gameCount);
        BinaryPrimitives.WriteUInt64LittleEndian(header[24..], seed);
    }
}
