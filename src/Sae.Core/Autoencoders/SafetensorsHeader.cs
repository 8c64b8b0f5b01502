using System.Buffers.Binary;
using System.Text.Json;

namespace Sae.Core.Autoencoders;

/// <summary>
/// Reads and checks the header of a safetensors file (an 8-byte little-endian header length, a JSON
/// header of tensor names, dtypes, shapes and byte ranges, then the data) before any tensor is read,
/// so that a truncated or foreign file is refused with a message rather than read past its end.
/// </summary>
public static class SafetensorsHeader
{
    private const long MaxHeaderLength = 100_000_000;

    private static readonly Dictionary<string, int> ElementSizes = new()
    {
        ["F64"] = 8, ["F32"] = 4, ["F16"] = 2, ["BF16"] = 2, ["I64"] = 8, ["I32"] = 4, ["I16"] = 2, ["I8"] = 1, ["U8"] = 1, ["BOOL"] = 1,
    };

    /// <summary>The tensors the file declares: name → (dtype, shape).</summary>
    /// <exception cref="InvalidSaeFileException">The file is truncated, not safetensors, or declares inconsistent tensors.</exception>
    public static IReadOnlyDictionary<string, (string DType, long[] Shape)> Read(string path)
    {
        if (!File.Exists(path)) throw new InvalidSaeFileException(path, "the file does not exist");
        using var stream = File.OpenRead(path);
        Span<byte> prefix = stackalloc byte[8];
        if (stream.ReadAtLeast(prefix, 8, throwOnEndOfStream: false) < 8)
            throw new InvalidSaeFileException(path, $"truncated: {stream.Length} bytes cannot hold a safetensors header");
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > MaxHeaderLength || (long)headerLength > stream.Length - 8)
            throw new InvalidSaeFileException(path, $"not a safetensors file, or truncated: it announces a {headerLength}-byte header in {stream.Length} bytes");
        var header = new byte[headerLength];
        stream.ReadExactly(header);
        var dataLength = stream.Length - 8 - (long)headerLength;
        // JSON names are read as strings later, which throws on invalid UTF-8 that the parser lets through.
        if (!System.Text.Unicode.Utf8.IsValid(header))
            throw new InvalidSaeFileException(path, "not a safetensors file: its header is not valid UTF-8, so not JSON");

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header);
        }
        catch (JsonException e)
        {
            throw new InvalidSaeFileException(path, "not a safetensors file: its header is not JSON", e);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new InvalidSaeFileException(path, "not a safetensors file: its header is not a JSON object");
            var tensors = new Dictionary<string, (string, long[])>();
            var ranges = new List<(long Start, long End, string Name)>();
            foreach (var entry in document.RootElement.EnumerateObject())
            {
                if (entry.Name == "__metadata__") continue;
                var (dtype, shape, start, end) = ReadTensor(path, entry, dataLength);
                if (!tensors.TryAdd(entry.Name, (dtype, shape)))
                    throw new InvalidSaeFileException(path, $"tensor '{entry.Name}' is declared twice");
                ranges.Add((start, end, entry.Name));
            }
            // As the format requires: the tensors' byte ranges tile the data exactly, without overlap or gap.
            var next = 0L;
            foreach (var (start, end, name) in ranges.OrderBy(r => r.Start).ThenBy(r => r.End))
            {
                if (start != next)
                    throw new InvalidSaeFileException(path, start < next
                        ? $"tensor '{name}' overlaps another (its bytes start at {start}, before {next})"
                        : $"the data has a gap of {start - next} bytes before tensor '{name}'");
                next = end;
            }
            if (next != dataLength)
                throw new InvalidSaeFileException(path, $"the tensors cover {next} bytes of data but the file holds {dataLength}");
            return tensors;
        }
    }

    private static (string DType, long[] Shape, long Start, long End) ReadTensor(string path, JsonProperty entry, long dataLength)
    {
        try
        {
            var dtype = entry.Value.GetProperty("dtype").GetString() ?? "";
            if (!ElementSizes.TryGetValue(dtype, out var size))
                throw new InvalidSaeFileException(path, $"tensor '{entry.Name}' has unknown dtype '{dtype}'");
            var shape = entry.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            var offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            if (shape.Any(d => d < 0))
                throw new InvalidSaeFileException(path, $"tensor '{entry.Name}' has a negative dimension in [{string.Join(", ", shape)}]");
            long bytes;
            try
            {
                bytes = checked(shape.Aggregate(1L, (a, b) => a * b) * size);
            }
            catch (OverflowException)
            {
                throw new InvalidSaeFileException(path, $"tensor '{entry.Name}' has shape [{string.Join(", ", shape)}], whose size overflows 64 bits");
            }
            if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] - offsets[0] != bytes)
                throw new InvalidSaeFileException(path, $"tensor '{entry.Name}' declares {bytes} bytes of {dtype} [{string.Join(", ", shape)}] but the byte range [{string.Join(", ", offsets)}]");
            if (offsets[1] > dataLength)
                throw new InvalidSaeFileException(path, $"truncated: tensor '{entry.Name}' ends at data byte {offsets[1]} but the file holds {dataLength}");
            return (dtype, shape, offsets[0], offsets[1]);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidSaeFileException(path, $"tensor '{entry.Name}' lacks a valid dtype, shape or data_offsets", e);
        }
    }
}
