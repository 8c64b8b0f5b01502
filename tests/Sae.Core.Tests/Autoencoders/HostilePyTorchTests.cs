using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Sae.Core.Autoencoders;
using Sae.Core.IO;
using Sae.Core.LanguageModels;

namespace Sae.Core.Tests.Autoencoders;

/// <summary>
/// PyTorch files made to break or abuse a reader: pickles that name other globals (the classic
/// <c>os.system</c> payload), tensors larger than their bytes, zip entries with absurd sizes. Each is
/// refused with what is wrong before PyBridge reads it; a well-formed file built the same way loads.
/// </summary>
public sealed class HostilePyTorchTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sae-hostile-pt-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Opcodes of pickle protocol 2, spelled out so each test's stream can be read.</summary>
    private static byte[] Pickle(params object[] parts)
    {
        var bytes = new List<byte> { 0x80, 2 };
        foreach (var part in parts)
            switch (part)
            {
                case string text: bytes.AddRange(Encoding.Latin1.GetBytes(text)); break;
                case byte b: bytes.Add(b); break;
                case byte[] raw: bytes.AddRange(raw); break;
            }
        bytes.Add((byte)'.');
        return [.. bytes];
    }

    /// <summary>BINUNICODE: 'X', a 4-byte length and UTF-8.</summary>
    private static byte[] Str(string s)
    {
        var utf8 = Encoding.UTF8.GetBytes(s);
        var length = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, utf8.Length);
        return [(byte)'X', .. length, .. utf8];
    }

    /// <summary>BININT: 'J' and a 4-byte integer.</summary>
    private static byte[] Int(int v)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(b, v);
        return [(byte)'J', .. b];
    }

    /// <summary>A state dict {"w": tensor of <paramref name="size"/> floats} over a storage that declares <paramref name="storageElements"/>.</summary>
    private static byte[] StateDict(int size, int storageElements) => Pickle(
        "ccollections\nOrderedDict\n)R(", Str("w"),
        "ctorch._utils\n_rebuild_tensor_v2\n(",
        "(", Str("storage"), "ctorch\nFloatStorage\n", Str("0"), Str("cpu"), Int(storageElements), "tQ",
        Int(0), Int(size), (byte)0x85, Int(1), (byte)0x85, (byte)0x89, "ccollections\nOrderedDict\n)R",
        "tRu");

    private string Archive(byte[] pickle, byte[]? storage = null, string name = "ae.pt")
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N"), name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            using (var s = zip.CreateEntry("archive/data.pkl", CompressionLevel.NoCompression).Open()) s.Write(pickle);
            using (var s = zip.CreateEntry("archive/data/0", CompressionLevel.NoCompression).Open()) s.Write(storage ?? new byte[16]);
            using (var s = zip.CreateEntry("archive/version", CompressionLevel.NoCompression).Open()) s.Write("3\n"u8);
        }
        return path;
    }

    private static string Refusal(string path)
    {
        var e = Assert.Throws<InvalidDataException>(() => PyTorchArchive.Check(path));
        return e.Message;
    }

    [Fact]
    public void A_well_formed_state_dict_built_the_same_way_loads()
    {
        var floats = new byte[16];
        for (var i = 0; i < 4; i++) BinaryPrimitives.WriteSingleLittleEndian(floats.AsSpan(4 * i), i + 0.5f);
        var table = PyTorchArchive.Read(Archive(StateDict(4, 4), floats), (p, e) => new InvalidDataException(p, e));
        using var w = (TorchSharp.torch.Tensor)table["w"]!;
        w.data<float>().ToArray().Should().Equal(0.5f, 1.5f, 2.5f, 3.5f);
    }

    [Fact]
    public void The_pickles_shipped_as_fixtures_pass_the_scan()
    {
        var fixtures = Directory.GetFiles("fixtures", "*.pt", SearchOption.AllDirectories);
        fixtures.Should().HaveCountGreaterThanOrEqualTo(6, "the nanoGPT and dictionary_learning fixtures made by PyTorch are scanned");
        foreach (var fixture in fixtures) PyTorchArchive.Check(fixture);
    }

    [Fact]
    public void A_pickle_naming_os_system_is_refused_and_never_run()
    {
        var marker = Path.Combine(_dir, "ran");
        var path = Archive(Pickle("cos\nsystem\n", Str($"touch {marker}"), (byte)0x85, "R"), name: "model.pt");
        var e = Assert.Throws<InvalidModelFileException>(() => GptFiles.Load(path));
        e.Message.Should().Contain(path).And.Contain("'os.system'").And.Contain("neither loaded nor run");
        File.Exists(marker).Should().BeFalse();
    }

    [Fact]
    public void A_global_named_through_the_stack_and_the_memo_is_refused()
    {
        // Protocol 4 style: the module and name pushed as strings, memoised, fetched back, then STACK_GLOBAL.
        var pickle = Pickle(Str("builtins"), "q\u0001", Str("eval"), "q\u0002", "0", "0", "h\u0001h\u0002", (byte)0x93, Str("1+1"), (byte)0x85, "R");
        var path = Archive(pickle);
        var e = Assert.Throws<InvalidSaeFileException>(() => DictionaryLearningCheckpoint.Load(Path.GetDirectoryName(path)!));
        e.Message.Should().Contain("'builtins.eval'");
    }

    [Fact]
    public void A_storage_that_declares_more_elements_than_its_entry_holds_is_refused() =>
        Refusal(Archive(StateDict(4, 1 << 30))).Should().Contain("storage '0' declares 1073741824 elements").And.Contain("its entry holds 16");

    [Fact]
    public void A_tensor_larger_than_its_storage_is_refused_before_it_is_allocated() =>
        Refusal(Archive(StateDict(1_000_000_000, 4))).Should().Contain("reaches element 999999999 of storage '0', which holds 4");

    [Fact]
    public void A_storage_viewed_by_a_hundred_thousand_tensors_is_refused()
    {
        // One 400 kB storage, memoised, then rebuilt as a tensor 100,000 times into a list: 40 GB if allocated.
        var views = new List<object> { "]q\u0002(" };
        var rebuild = new object[] { "h\u0003(h\u0001", Int(0), Int(100_000), (byte)0x85, Int(1), (byte)0x85, (byte)0x89, "tR" };
        for (var i = 0; i < 100_000; i++) views.AddRange(rebuild);
        var pickle = Pickle([
            "ctorch._utils\n_rebuild_tensor_v2\nq\u00030", "(", Str("storage"), "ctorch\nFloatStorage\n", Str("0"), Str("cpu"), Int(100_000), "tQq\u0001", "0",
            .. views, "e"]);
        Refusal(Archive(pickle, new byte[400_000])).Should().Contain("more than four times the file's");
    }

    [Fact]
    public void A_zip_entry_with_an_absurd_declared_size_is_refused()
    {
        var path = Archive(StateDict(4, 4));
        var bytes = File.ReadAllBytes(path);
        // The central directory record of data.pkl (the first one): its uncompressed size is at offset 24.
        var central = bytes.AsSpan().IndexOf(new byte[] { 0x50, 0x4b, 0x01, 0x02 });
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(central + 24), 0xFFFF_FFF0);
        File.WriteAllBytes(path, bytes);
        Refusal(path).Should().Contain("'archive/data.pkl' declares 4294967280 bytes");
    }

    [Theory]
    [InlineData("not a zip", "not a zip archive")]
    [InlineData("truncated", "damaged zip archive")]
    public void Files_that_are_not_whole_archives_are_named(string kind, string expected)
    {
        var path = Archive(StateDict(4, 4));
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, kind == "not a zip" ? new byte[] { 0x80, 0x02, (byte)'.' } : bytes[..(bytes.Length - 30)]);
        Refusal(path).Should().Contain(expected);
    }

    [Theory]
    [InlineData("an unknown opcode", new byte[] { 0x80, 2, 0xff }, "unknown opcode 0xff")]
    [InlineData("no STOP", new byte[] { 0x80, 2, (byte)'N' }, "no STOP opcode")]
    [InlineData("a pop of an empty stack", new byte[] { 0x80, 2, (byte)'0', (byte)'.' }, "pops an empty stack")]
    [InlineData("a string running past the end", new byte[] { 0x80, 2, (byte)'X', 0xff, 0xff, 0, 0 }, "truncated")]
    [InlineData("a memo entry never stored", new byte[] { 0x80, 2, (byte)'h', 7, (byte)'.' }, "memo entry 7")]
    [InlineData("an extension code", new byte[] { 0x80, 2, 0x82, 1, (byte)'.' }, "extension registry")]
    [InlineData("a text persistent id", new byte[] { 0x80, 2, (byte)'P', (byte)'x', (byte)'\n', (byte)'.' }, "text persistent id")]
    public void Malformed_pickles_are_named(string what, byte[] pickle, string expected)
    {
        _ = what;
        Assert.Throws<InvalidDataException>(() => PickleScan.Scan(pickle)).Message.Should().Contain(expected);
    }
}
