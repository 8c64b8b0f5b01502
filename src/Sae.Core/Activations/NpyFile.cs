using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Sae.Core.IO;

namespace Sae.Core.Activations;

/// <summary>
/// NumPy's .npy format for 2-D arrays in C order — little-endian float32 (how activations are
/// exchanged with Python) and uint8 (how 0/1 board state labels are). Reading checks the magic,
/// version, dtype, order and that the file holds every row.
/// </summary>
public static partial class NpyFile
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>The shape and where the data start, read from the header of <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">Not .npy, not 2-D float32 in C order, or truncated; the message names the file and the problem.</exception>
    public static (long Rows, int Columns, long DataOffset) ReadHeader(string path) =>
        ReadHeader(path, Float32, sizeof(float), "activations must be little-endian float32 ('<f4')");

    /// <summary>The dtype strings that NumPy writes for little-endian float32.</summary>
    private static readonly string[] Float32 = ["<f4", "=f4", "f4"];

    /// <summary>The dtype strings that NumPy writes for uint8, and for bool (also one byte, 0 or 1).</summary>
    private static readonly string[] UInt8 = ["|u1", "<u1", "=u1", "u1", "|b1"];

    private static (long Rows, int Columns, long DataOffset) ReadHeader(string path, string[] dtypes, int itemSize, string expected)
    {
        using var stream = File.OpenRead(path);
        Span<byte> prefix = stackalloc byte[12];
        var read = stream.ReadAtLeast(prefix, 12, throwOnEndOfStream: false);
        if (read < 10 || !prefix[..6].SequenceEqual(Magic))
            throw new InvalidDataException($"{path}: not a .npy file (it does not start with \\x93NUMPY)");
        int major = prefix[6];
        long headerLength;
        long headerStart;
        if (major == 1) { headerLength = BinaryPrimitives.ReadUInt16LittleEndian(prefix[8..]); headerStart = 10; }
        else if (major is 2 or 3) { headerLength = BinaryPrimitives.ReadUInt32LittleEndian(prefix[8..]); headerStart = 12; }
        else throw new InvalidDataException($"{path}: .npy format version {major} is not supported (1, 2 or 3 are)");
        if (headerStart + headerLength > stream.Length)
            throw new InvalidDataException($"{path}: truncated: the .npy header runs past the end of the file");
        var header = new byte[headerLength];
        stream.Position = headerStart;
        stream.ReadExactly(header);
        var text = Encoding.Latin1.GetString(header);

        var descr = DescrPattern().Match(text);
        if (!descr.Success || !dtypes.Contains(descr.Groups[1].Value))
            throw new InvalidDataException($"{path}: dtype {(descr.Success ? descr.Groups[1].Value : "unknown")}; {expected}");
        if (FortranPattern().Match(text) is { Success: true } fortran && fortran.Groups[1].Value == "True")
            throw new InvalidDataException($"{path}: the array is in Fortran order; save it in C order (numpy.ascontiguousarray)");
        var shape = ShapePattern().Match(text);
        if (!shape.Success) throw new InvalidDataException($"{path}: the .npy header has no shape");
        var texts = shape.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var dims = new long[texts.Length];
        for (var i = 0; i < texts.Length; i++)
            if (!long.TryParse(texts[i], NumberStyles.None, CultureInfo.InvariantCulture, out dims[i]))
                throw new InvalidDataException($"{path}: the .npy shape ({shape.Groups[1].Value}) is not a list of sizes of at least 0");
        if (dims.Length != 2)
            throw new InvalidDataException($"{path}: the array has shape ({string.Join(", ", dims)}); it must be 2-D [rows, columns]");
        if (dims[1] > int.MaxValue)
            throw new InvalidDataException($"{path}: {dims[1]} columns; at most {int.MaxValue} are supported");
        var dataOffset = headerStart + headerLength;
        long needed;
        try
        {
            needed = checked(dataOffset + dims[0] * dims[1] * itemSize);
        }
        catch (OverflowException)
        {
            throw new InvalidDataException($"{path}: shape ({dims[0]}, {dims[1]}) is larger than any file can be");
        }
        if (stream.Length < needed)
            throw new InvalidDataException($"{path}: truncated: shape ({dims[0]}, {dims[1]}) needs {needed} bytes, the file has {stream.Length}");
        return (dims[0], (int)dims[1], dataOffset);
    }

    /// <summary>Reads a whole 2-D float32 .npy file into memory as [rows, columns].</summary>
    public static float[,] Read(string path) => ReadAll<float>(path, ReadHeader(path));

    /// <summary>Reads a whole 2-D uint8 .npy file (e.g. 0/1 labels) into memory as [rows, columns].</summary>
    /// <exception cref="InvalidDataException">Not .npy, not 2-D uint8 in C order, or truncated; the message names the file and the problem.</exception>
    public static byte[,] ReadUInt8(string path) =>
        ReadAll<byte>(path, ReadHeader(path, UInt8, sizeof(byte), "labels must be uint8 ('|u1') or bool ('|b1')"));

    private static T[,] ReadAll<T>(string path, (long Rows, int Columns, long DataOffset) header) where T : unmanaged
    {
        var values = new T[header.Rows, header.Columns];
        using var stream = File.OpenRead(path);
        stream.Position = header.DataOffset;
        if (values.Length > 0)
            stream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(
                System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref values[0, 0], values.Length)));
        return values;
    }

    /// <summary>Writes a 2-D float32 .npy file (version 1, C order), atomically.</summary>
    public static void Write(string path, float[,] values) => WriteAll<float>(path, Flat(values), values.GetLength(0), values.GetLength(1), "<f4");

    /// <summary>Writes <paramref name="values"/> (rows of <paramref name="columns"/> floats, one after another) as a 2-D float32 .npy file, atomically.</summary>
    public static void Write(string path, ReadOnlySpan<float> values, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        if (values.Length % columns != 0) throw new ArgumentException($"{values.Length} values are not whole rows of {columns}.", nameof(values));
        WriteAll(path, values, values.Length / columns, columns, "<f4");
    }

    /// <summary>Writes a 2-D uint8 .npy file (version 1, C order), atomically.</summary>
    public static void WriteUInt8(string path, byte[,] values) => WriteAll<byte>(path, Flat(values), values.GetLength(0), values.GetLength(1), "|u1");

    /// <summary>Writes a 2-D little-endian int32 .npy file (version 1, C order), atomically.</summary>
    public static void WriteInt32(string path, int[,] values) => WriteAll<int>(path, Flat(values), values.GetLength(0), values.GetLength(1), "<i4");

    private static ReadOnlySpan<T> Flat<T>(T[,] values) where T : unmanaged =>
        values.Length == 0 ? [] : System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpan(ref values[0, 0], values.Length);

    private static void WriteAll<T>(string path, ReadOnlySpan<T> values, long rows, int columns, string descr) where T : unmanaged
    {
        var dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': ({rows}, {columns}), }}";
        var unpadded = 10 + dict.Length + 1;
        var header = dict + new string(' ', (64 - unpadded % 64) % 64) + "\n";
        using var file = AtomicFile.Create(path);
        var stream = file.Stream;
        stream.Write(Magic);
        stream.Write([1, 0]);
        Span<byte> length = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(length, (ushort)header.Length);
        stream.Write(length);
        stream.Write(Encoding.Latin1.GetBytes(header));
        stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values));
        file.Commit();
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
