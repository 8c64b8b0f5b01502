using System.Buffers.Binary;
using System.Text;
using Sae.Core.Autoencoders;

namespace Sae.Core.Tests.Autoencoders;

/// <summary>Safetensors files made to break a reader: each is refused with a message that says what is wrong, before any tensor is read.</summary>
public sealed class HostileSafetensorsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sae-hostile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File(byte[] header, int dataBytes, ulong? declaredLength = null)
    {
        var path = Path.Combine(_dir, $"{Guid.NewGuid():N}.safetensors");
        var prefix = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, declaredLength ?? (ulong)header.Length);
        System.IO.File.WriteAllBytes(path, [.. prefix, .. header, .. new byte[dataBytes]]);
        return path;
    }

    private string File(string header, int dataBytes) => File(Encoding.UTF8.GetBytes(header), dataBytes);

    private static string T(string name, string shape, long start, long end, string dtype = "F32") =>
        $"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":[{shape}],\"data_offsets\":[{start},{end}]}}";

    [Fact]
    public void A_well_formed_file_is_read()
    {
        var header = SafetensorsHeader.Read(File("{" + T("a", "2,2", 0, 16) + "," + T("b", "3", 16, 28) + "}", 28));
        header["a"].Shape.Should().Equal(2, 2);
        header["b"].Shape.Should().Equal(3);
    }

    [Theory]
    [InlineData("huge declared header length")]
    [InlineData("invalid UTF-8")]
    [InlineData("duplicate names")]
    [InlineData("overlapping ranges")]
    [InlineData("a gap")]
    [InlineData("data past the last tensor")]
    [InlineData("a range past the end")]
    [InlineData("dtype that disagrees with the bytes")]
    [InlineData("a shape whose size overflows")]
    [InlineData("a negative dimension")]
    [InlineData("an unknown dtype")]
    public void A_hostile_header_is_refused_with_its_reason(string what)
    {
        var (path, message) = what switch
        {
            "huge declared header length" => (File(Encoding.UTF8.GetBytes("{}"), 0, declaredLength: 1UL << 62), "*announces a 4611686018427387904-byte header*"),
            "invalid UTF-8" => (File([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d], 0), "*not JSON*"),
            "duplicate names" => (File("{" + T("a", "2", 0, 8) + "," + T("a", "2", 8, 16) + "}", 16), "*'a' is declared twice*"),
            "overlapping ranges" => (File("{" + T("a", "4", 0, 16) + "," + T("b", "2", 8, 16) + "}", 16), "*overlaps*"),
            "a gap" => (File("{" + T("a", "2", 0, 8) + "," + T("b", "2", 12, 20) + "}", 20), "*gap of 4 bytes*"),
            "data past the last tensor" => (File("{" + T("a", "2", 0, 8) + "}", 12), "*cover 8 bytes of data but the file holds 12*"),
            "a range past the end" => (File("{" + T("a", "4", 0, 16) + "}", 8), "*truncated*"),
            "dtype that disagrees with the bytes" => (File("{" + T("a", "4", 0, 8, "F32") + "}", 8), "*declares 16 bytes of F32*"),
            "a shape whose size overflows" => (File("{" + T("a", "4000000000,8000000000", 0, 128) + "}", 128), "*overflows 64 bits*"),
            "a negative dimension" => (File("{" + T("a", "-2,4", 0, 32) + "}", 32), "*negative dimension*"),
            _ => (File("{" + T("a", "2", 0, 8, "Q9") + "}", 8), "*unknown dtype 'Q9'*"),
        };
        FluentActions.Invoking(() => SafetensorsHeader.Read(path)).Should().Throw<InvalidSaeFileException>().WithMessage(message);
    }

    [Fact]
    public void A_model_whose_weights_file_is_hostile_is_refused_as_an_invalid_model_file()
    {
        var model = Path.Combine(_dir, "model");
        Directory.CreateDirectory(model);
        using (var tiny = new Sae.Core.LanguageModels.GptModel(new Sae.Core.LanguageModels.GptConfig { Layers = 1, Heads = 1, ModelDimension = 4, ContextLength = 4, VocabularySize = 5 }))
            Sae.Core.LanguageModels.GptFiles.Save(tiny, model);
        var weights = Path.Combine(model, Sae.Core.LanguageModels.GptFiles.WeightsFileName);
        System.IO.File.Copy(File("{" + T("a", "4000000000,8000000000", 0, 128) + "}", 128), weights, overwrite: true);
        FluentActions.Invoking(() => Sae.Core.LanguageModels.GptFiles.Load(model)).Should()
            .Throw<Sae.Core.LanguageModels.InvalidModelFileException>().WithMessage("*overflows 64 bits*");
    }
}
