using System.Buffers.Binary;
using System.Text;

namespace Sae.Core.IO;

/// <summary>
/// Walks a PyTorch checkpoint's pickle (<c>data.pkl</c>) opcode by opcode without running it, the way
/// PyTorch's <c>weights_only</c> loading does: every global it names must be one that rebuilds a state
/// dict (tensors, storages, <c>OrderedDict</c>), every persistent id must be a storage, and every tensor
/// must fit in its storage. Values are followed on a stack only as far as those checks need.
/// </summary>
internal static class PickleScan
{
    /// <summary>A storage named by a persistent id: its archive key, its PyTorch storage class and its element count.</summary>
    internal sealed record Storage(string Key, string TypeName, long Elements);

    /// <summary>Bytes per element of each storage class the reader accepts.</summary>
    internal static readonly IReadOnlyDictionary<string, int> StorageElementBytes = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["DoubleStorage"] = 8, ["FloatStorage"] = 4, ["HalfStorage"] = 2, ["BFloat16Storage"] = 2,
        ["LongStorage"] = 8, ["IntStorage"] = 4, ["ShortStorage"] = 2, ["CharStorage"] = 1,
        ["ByteStorage"] = 1, ["BoolStorage"] = 1, ["ComplexDoubleStorage"] = 16, ["ComplexFloatStorage"] = 8,
    };

    private sealed record Global(string Module, string Name)
    {
        public override string ToString() => $"{Module}.{Name}";
    }

    private sealed class Mark;
    private sealed class Opaque;
    private static readonly Opaque Value = new();

    /// <summary>What a scanned pickle will make: the storages it refers to, and the bytes of all its tensors (which PyBridge allocates one by one, even where they share a storage).</summary>
    internal sealed record Contents(IReadOnlyList<Storage> Storages, long TensorBytes);

    /// <summary>What the pickle will make; throws when it is unsafe or malformed.</summary>
    /// <exception cref="InvalidDataException">What is wrong: a global outside the allowed ones, a foreign persistent id, a tensor larger than its storage, a truncated or malformed stream.</exception>
    public static Contents Scan(ReadOnlySpan<byte> pickle)
    {
        try
        {
            return Walk(pickle);
        }
        catch (OverflowException e)
        {
            throw new InvalidDataException("the pickle declares a length or a tensor size that overflows 64 bits", e);
        }
    }

    private static Contents Walk(ReadOnlySpan<byte> pickle)
    {
        long tensorBytes = 0;
        var stack = new List<object?>();
        var memo = new Dictionary<long, object?>();
        var storages = new List<Storage>();
        var at = 0;

        ReadOnlySpan<byte> Take(ReadOnlySpan<byte> data, long count)
        {
            if (count < 0 || count > data.Length - at) throw new InvalidDataException($"the pickle is truncated (an argument at byte {at} runs past its end)");
            var slice = data.Slice(at, (int)count);
            at += (int)count;
            return slice;
        }
        string Line(ReadOnlySpan<byte> data)
        {
            var end = data[at..].IndexOf((byte)'\n');
            if (end < 0) throw new InvalidDataException($"the pickle is truncated (a line at byte {at} has no end)");
            var text = Encoding.Latin1.GetString(data.Slice(at, end));
            at += end + 1;
            return text;
        }
        object? Pop()
        {
            if (stack.Count == 0 || stack[^1] is Mark) throw new InvalidDataException($"the pickle pops an empty stack at byte {at}");
            var top = stack[^1];
            stack.RemoveAt(stack.Count - 1);
            return top;
        }
        object?[] PopToMark()
        {
            var mark = stack.FindLastIndex(v => v is Mark);
            if (mark < 0) throw new InvalidDataException($"the pickle has no mark to pop to at byte {at}");
            var items = stack.GetRange(mark + 1, stack.Count - mark - 1).ToArray();
            stack.RemoveRange(mark, stack.Count - mark);
            return items;
        }
        object? Top() => stack.Count == 0 || stack[^1] is Mark ? throw new InvalidDataException($"the pickle reads an empty stack at byte {at}") : stack[^1];
        object? Fetch(long index) => memo.TryGetValue(index, out var v) ? v : throw new InvalidDataException($"the pickle reads memo entry {index}, which was never stored");

        while (true)
        {
            if (at >= pickle.Length) throw new InvalidDataException("the pickle is truncated (no STOP opcode)");
            var position = at;
            var op = pickle[at++];
            switch (op)
            {
                case 0x80: Take(pickle, 1); break;                                         // PROTO
                case 0x95: Take(pickle, 8); break;                                         // FRAME
                case (byte)'.': return stack.Count == 1 ? new Contents(storages, tensorBytes) : throw new InvalidDataException($"the pickle stops with {stack.Count} values on its stack");
                case (byte)'(': stack.Add(new Mark()); break;
                case (byte)'0': Pop(); break;
                case (byte)'1': PopToMark(); break;
                case (byte)'2': stack.Add(Top()); break;
                case (byte)'N': stack.Add(null); break;
                case 0x88: stack.Add(true); break;
                case 0x89: stack.Add(false); break;
                case (byte)'K': stack.Add((long)Take(pickle, 1)[0]); break;
                case (byte)'M': stack.Add((long)BinaryPrimitives.ReadUInt16LittleEndian(Take(pickle, 2))); break;
                case (byte)'J': stack.Add((long)BinaryPrimitives.ReadInt32LittleEndian(Take(pickle, 4))); break;
                case 0x8a: stack.Add(LittleEndianInteger(Take(pickle, Take(pickle, 1)[0]))); break;
                case 0x8b: stack.Add(LittleEndianInteger(Take(pickle, BinaryPrimitives.ReadInt32LittleEndian(Take(pickle, 4))))); break;
                case (byte)'I': stack.Add(long.TryParse(Line(pickle), out var i) ? i : Value); break;
                case (byte)'L': stack.Add(long.TryParse(Line(pickle).TrimEnd('L'), out var l) ? l : Value); break;
                case (byte)'F': Line(pickle); stack.Add(Value); break;
                case (byte)'G': Take(pickle, 8); stack.Add(Value); break;
                case (byte)'X': stack.Add(Utf8(Take(pickle, BinaryPrimitives.ReadUInt32LittleEndian(Take(pickle, 4))), position)); break;
                case 0x8c: stack.Add(Utf8(Take(pickle, Take(pickle, 1)[0]), position)); break;
                case 0x8d: stack.Add(Utf8(Take(pickle, checked((long)BinaryPrimitives.ReadUInt64LittleEndian(Take(pickle, 8)))), position)); break;
                case (byte)'V': stack.Add(Line(pickle)); break;
                case (byte)'S': stack.Add(Line(pickle).Trim('\'', '"')); break;
                case (byte)'T': stack.Add(Encoding.Latin1.GetString(Take(pickle, BinaryPrimitives.ReadUInt32LittleEndian(Take(pickle, 4))))); break;
                case (byte)'U': stack.Add(Encoding.Latin1.GetString(Take(pickle, Take(pickle, 1)[0]))); break;
                case (byte)'B': Take(pickle, BinaryPrimitives.ReadUInt32LittleEndian(Take(pickle, 4))); stack.Add(Value); break;
                case (byte)'C': Take(pickle, Take(pickle, 1)[0]); stack.Add(Value); break;
                case 0x8e: Take(pickle, checked((long)BinaryPrimitives.ReadUInt64LittleEndian(Take(pickle, 8)))); stack.Add(Value); break;
                case 0x96: Take(pickle, checked((long)BinaryPrimitives.ReadUInt64LittleEndian(Take(pickle, 8)))); stack.Add(Value); break;
                case (byte)'}': case (byte)']': case 0x8f: stack.Add(Value); break;
                case (byte)')': stack.Add(Array.Empty<object?>()); break;
                case (byte)'d': case (byte)'l': PopToMark(); stack.Add(Value); break;
                case (byte)'t': stack.Add(PopToMark()); break;
                case 0x85: stack.Add(new[] { Pop() }); break;
                case 0x86: { var b = Pop(); var a = Pop(); stack.Add(new[] { a, b }); break; }
                case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); stack.Add(new[] { a, b, c }); break; }
                case 0x91: PopToMark(); stack.Add(Value); break;                            // FROZENSET
                case (byte)'a': Pop(); Top(); break;                                       // APPEND
                case (byte)'e': case 0x90: PopToMark(); Top(); break;                      // APPENDS, ADDITEMS
                case (byte)'s': Pop(); Pop(); Top(); break;                                // SETITEM
                case (byte)'u': PopToMark(); Top(); break;                                 // SETITEMS
                case (byte)'b': Pop(); Top(); break;                                       // BUILD
                case (byte)'c': stack.Add(Allowed(new Global(Line(pickle), Line(pickle)), position)); break;
                case 0x93:
                {
                    var name = Pop();
                    var module = Pop();
                    if (module is not string m || name is not string n)
                        throw new InvalidDataException($"the pickle names a global at byte {position} that is not two strings");
                    stack.Add(Allowed(new Global(m, n), position));
                    break;
                }
                case (byte)'i':
                {
                    var global = Allowed(new Global(Line(pickle), Line(pickle)), position);
                    PopToMark();
                    stack.Add(Construct(global, position));
                    break;
                }
                case (byte)'o':
                {
                    var items = PopToMark();
                    if (items.Length == 0 || items[0] is not Global g) throw new InvalidDataException($"the pickle builds an object of no class at byte {position}");
                    stack.Add(Construct(g, position));
                    break;
                }
                case 0x81: { Pop(); stack.Add(Construct(Pop(), position)); break; }         // NEWOBJ
                case 0x92: { Pop(); Pop(); stack.Add(Construct(Pop(), position)); break; }  // NEWOBJ_EX
                case (byte)'R':
                {
                    var args = Pop();
                    var callable = Pop();
                    stack.Add(Reduce(callable, args, position, ref tensorBytes));
                    break;
                }
                case (byte)'Q':
                {
                    var storage = StorageFrom(Pop(), position);
                    storages.Add(storage);
                    stack.Add(storage);
                    break;
                }
                case (byte)'P': throw new InvalidDataException($"the pickle has a text persistent id at byte {position}; PyTorch writes binary ones");
                case 0x94: memo[memo.Count] = Top(); break;                                // MEMOIZE
                case (byte)'p': memo[ParseIndex(Line(pickle), position)] = Top(); break;
                case (byte)'q': memo[Take(pickle, 1)[0]] = Top(); break;
                case (byte)'r': memo[BinaryPrimitives.ReadUInt32LittleEndian(Take(pickle, 4))] = Top(); break;
                case (byte)'g': stack.Add(Fetch(ParseIndex(Line(pickle), position))); break;
                case (byte)'h': stack.Add(Fetch(Take(pickle, 1)[0])); break;
                case (byte)'j': stack.Add(Fetch(BinaryPrimitives.ReadUInt32LittleEndian(Take(pickle, 4)))); break;
                case 0x97: stack.Add(Value); break;                                        // NEXT_BUFFER
                case 0x98: Top(); break;                                                   // READONLY_BUFFER
                case 0x82: case 0x83: case 0x84:
                    throw new InvalidDataException($"the pickle names a global through the extension registry at byte {position}; it is refused");
                default:
                    throw new InvalidDataException($"the pickle has an unknown opcode 0x{op:x2} at byte {position}");
            }
        }
    }

    /// <summary>The globals a state dict may name: PyTorch's tensor rebuilders, its storage classes and <c>OrderedDict</c>.</summary>
    private static Global Allowed(Global global, int position) =>
        global switch
        {
            ("collections", "OrderedDict") => global,
            ("torch._utils", "_rebuild_tensor" or "_rebuild_tensor_v2" or "_rebuild_parameter") => global,
            ("torch", var storage) when StorageElementBytes.ContainsKey(storage) => global,
            _ => throw new InvalidDataException($"the pickle names the global '{global}' at byte {position}; only tensor rebuilders, storages and OrderedDict are allowed, so it was neither loaded nor run"),
        };

    private static object Construct(object? cls, int position) =>
        cls is Global { Module: "collections", Name: "OrderedDict" }
            ? Value
            : throw new InvalidDataException($"the pickle constructs an instance of '{cls}' at byte {position}; only OrderedDict may be built");

    private static object Reduce(object? callable, object? args, int position, ref long tensorBytes)
    {
        if (callable is not Global global) throw new InvalidDataException($"the pickle calls something that is not a global at byte {position}");
        if (global.Module == "torch._utils" && global.Name.StartsWith("_rebuild_tensor", StringComparison.Ordinal))
            tensorBytes = checked(tensorBytes + TensorBytes(args, position));
        else if (global.Module == "torch") throw new InvalidDataException($"the pickle calls the storage class '{global}' at byte {position}");
        return Value;
    }

    /// <summary>The bytes of a tensor rebuilt from (storage, offset, size, stride, …), which must lie inside its storage.</summary>
    private static long TensorBytes(object? args, int position)
    {
        if (args is not object?[] { Length: >= 4 } a || a[0] is not Storage storage || a[1] is not long offset
            || a[2] is not object?[] size || a[3] is not object?[] stride || size.Length != stride.Length)
            throw new InvalidDataException($"the tensor rebuilt at byte {position} does not have (storage, offset, size, stride) arguments");
        if (offset < 0) throw new InvalidDataException($"the tensor rebuilt at byte {position} has a negative storage offset");
        long elements = 1, last = offset;
        for (var d = 0; d < size.Length; d++)
        {
            if (size[d] is not long n || n < 0 || n > int.MaxValue || stride[d] is not long s || s < 0 || s > int.MaxValue)
                throw new InvalidDataException($"the tensor rebuilt at byte {position} has a size or stride that is not a non-negative 32-bit integer");
            elements = n == 0 || elements == 0 ? 0 : checked(elements * n);
            if (n > 0) last = checked(last + (n - 1) * s);
        }
        if (elements > 0 && last >= storage.Elements)
            throw new InvalidDataException($"the tensor rebuilt at byte {position} reaches element {last} of storage '{storage.Key}', which holds {storage.Elements}");
        if (elements > storage.Elements)
            throw new InvalidDataException($"the tensor rebuilt at byte {position} has {elements} elements; its storage '{storage.Key}' holds {storage.Elements}");
        return checked(elements * StorageElementBytes[storage.TypeName]);
    }

    private static Storage StorageFrom(object? pid, int position)
    {
        if (pid is object?[] { Length: 5 } p && p[0] is "storage" && p[1] is Global { Module: "torch" } type
            && StorageElementBytes.ContainsKey(type.Name) && p[2] is string key && p[4] is long elements && elements >= 0)
            return new Storage(key, type.Name, elements);
        throw new InvalidDataException($"the pickle's persistent id at byte {position} is not a ('storage', torch.*Storage, key, location, size) tuple");
    }

    private static object LittleEndianInteger(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > 8) return Value;
        long v = 0;
        for (var k = bytes.Length - 1; k >= 0; k--) v = (v << 8) | bytes[k];
        if (bytes.Length is > 0 and < 8 && (bytes[^1] & 0x80) != 0) v -= 1L << (8 * bytes.Length);
        return v;
    }

    private static string Utf8(ReadOnlySpan<byte> bytes, int position)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new InvalidDataException($"the pickle has a string at byte {position} that is not UTF-8");
        }
    }

    private static long ParseIndex(string text, int position) =>
        long.TryParse(text, out var index) && index >= 0 ? index : throw new InvalidDataException($"the pickle has a memo index '{text}' at byte {position} that is not a number");
}
