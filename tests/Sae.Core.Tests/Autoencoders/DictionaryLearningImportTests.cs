using System.Text.Json;
using Sae.Core.Autoencoders;
using static TorchSharp.torch;

namespace Sae.Core.Tests.Autoencoders;

/// <summary>
/// Checkpoints written by PyTorch (fixtures/dictionary_learning/make_fixtures.py) import to SAEs whose
/// features and reconstructions equal what PyTorch computed with the reference's forward pass.
/// </summary>
public sealed class DictionaryLearningImportTests : IDisposable
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "fixtures", "dictionary_learning");
    private readonly string _dir = Directory.CreateTempSubdirectory("sae-import-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static float[] Flat(JsonElement rows) => [.. rows.EnumerateArray().SelectMany(r => r.EnumerateArray().Select(v => v.GetSingle()))];

    [Theory]
    [InlineData("standard", typeof(StandardSae))]
    [InlineData("gated", typeof(GatedSae))]
    [InlineData("topk", typeof(TopKSae))]
    public void Imported_saes_compute_what_pytorch_computed(string name, Type expectedType)
    {
        var directory = Path.Combine(Fixtures, name);
        using var sae = DictionaryLearningCheckpoint.Load(directory);
        sae.Should().BeOfType(expectedType);
        sae.InputDimension.Should().Be(4);
        sae.FeatureCount.Should().Be(6);
        using var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "expected.json")));
        var root = expected.RootElement;
        using var x = tensor(Flat(root.GetProperty("x")), [3, 4]);
        using var f = sae.Encode(x);
        using var xHat = sae.Decode(f);
        Close(f.data<float>().ToArray(), Flat(root.GetProperty("features")));
        Close(xHat.data<float>().ToArray(), Flat(root.GetProperty("reconstruction")));
    }

    [Fact]
    public void The_class_is_inferred_from_the_names_without_config_json()
    {
        var copy = Path.Combine(_dir, "gated");
        Directory.CreateDirectory(copy);
        File.Copy(Path.Combine(Fixtures, "gated", "ae.pt"), Path.Combine(copy, "ae.pt"));
        using var sae = DictionaryLearningCheckpoint.Load(copy);
        sae.Should().BeOfType<GatedSae>();
    }

    [Fact]
    public void A_missing_truncated_or_foreign_checkpoint_is_refused_by_name()
    {
        var load = () => DictionaryLearningCheckpoint.Load(_dir);
        load.Should().Throw<InvalidSaeFileException>().WithMessage("*has no ae.pt");

        var bytes = File.ReadAllBytes(Path.Combine(Fixtures, "standard", "ae.pt"));
        File.WriteAllBytes(Path.Combine(_dir, "ae.pt"), bytes[..(bytes.Length / 2)]);
        load.Should().Throw<InvalidSaeFileException>().WithMessage("*ae.pt: a damaged zip archive*");

        File.WriteAllText(Path.Combine(_dir, "ae.pt"), "{\"weights\": []}");
        load.Should().Throw<InvalidSaeFileException>().WithMessage("*ae.pt: not a zip archive*");
    }

    private static void Close(float[] actual, float[] expected)
    {
        actual.Should().HaveCount(expected.Length);
        for (var i = 0; i < actual.Length; i++) actual[i].Should().BeApproximately(expected[i], 1e-5f);
    }
}
