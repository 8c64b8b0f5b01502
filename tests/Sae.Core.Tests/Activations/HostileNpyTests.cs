using System.Text;
using Sae.Core.Activations;

namespace Sae.Core.Tests.Activations;

/// <summary>.npy files made to break a reader: each is refused with its reason before any data is read.</summary>
public sealed class HostileNpyTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sae-hostile-npy-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Npy(string header, int dataBytes)
    {
        var text = header + " ";
        while ((10 + text.Length + 1) % 64 != 0) text += " ";
        var bytes = Encoding.ASCII.GetBytes(text + "\n");
        var path = Path.Combine(_dir, $"{Guid.NewGuid():N}.npy");
        File.WriteAllBytes(path, [0x93, .. "NUMPY"u8, 1, 0, (byte)bytes.Length, (byte)(bytes.Length >> 8), .. bytes, .. new byte[dataBytes]]);
        return path;
    }

    private static string Header(string shape, string descr = "<f4", string fortran = "False") =>
        $"{{'descr': '{descr}', 'fortran_order': {fortran}, 'shape': ({shape}), }}";

    [Fact]
    public void A_well_formed_file_is_read()
    {
        using var source = new NpyActivations(Npy(Header("2, 4"), 32));
        (source.Count, source.Dimension).Should().Be((2L, 4));
    }

    [Theory]
    [InlineData("-2, 4", 32, "*not a list of sizes*")]                   // it crashed with ArgumentOutOfRangeException
    [InlineData("4611686018427387904, 4", 32, "*larger than any file can be*")] // it read out of the mapping (access violation)
    [InlineData("999999999999999, 99999999999", 32, "*at most 2147483647*")]
    [InlineData("2, x", 32, "*not a list of sizes*")]
    [InlineData("2, 2, 2", 32, "*must be 2-D*")]
    [InlineData("3, 4", 32, "*truncated*")]
    public void A_hostile_shape_is_refused_with_its_reason(string shape, int dataBytes, string message)
    {
        FluentActions.Invoking(() => new NpyActivations(Npy(Header(shape), dataBytes))).Should().Throw<InvalidDataException>().WithMessage(message);
    }

    [Theory]
    [InlineData("<f8", "False", "*dtype <f8*")]
    [InlineData(">f4", "False", "*dtype >f4*")]
    [InlineData("<f4", "True", "*Fortran order*")]
    public void A_foreign_layout_is_refused_with_its_reason(string descr, string fortran, string message)
    {
        FluentActions.Invoking(() => new NpyActivations(Npy(Header("2, 4", descr, fortran), 64))).Should().Throw<InvalidDataException>().WithMessage(message);
    }
}
