using System.Text.Json;
using Sae.Core.LanguageModels;
using static TorchSharp.torch;

namespace Sae.Core.Tests.LanguageModels;

/// <summary>
/// Files written by PyTorch (fixtures/nanogpt/make_fixtures.py, with an independently written forward
/// pass) load into models whose logits match PyTorch's.
/// </summary>
public class GptFilesTests
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "fixtures", "nanogpt");
    private static readonly JsonElement Expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixtures, "expected.json"))).RootElement;

    [Theory]
    [InlineData("nanogpt_ckpt", true, true)]
    [InlineData("state_dict_nobias", false, true)]
    [InlineData("transformerlens", true, false)]
    public void PyTorch_files_load_and_give_PyTorchs_logits(string name, bool bias, bool tied)
    {
        using var model = GptFiles.Load(Path.Combine(Fixtures, name + ".pt"), heads: 2);
        model.Config.Should().BeEquivalentTo(new { Layers = 2, Heads = 2, ModelDimension = 16, ContextLength = 8, VocabularySize = 11, Bias = bias, TiedEmbeddings = tied, EffectiveMlpDimension = 24 });
        var tokens = Expected.GetProperty("tokens").EnumerateArray().Select(t => t.GetInt64()).ToArray();
        using var noGrad = no_grad();
        using var input = tensor(tokens, [1, tokens.Length]);
        using var logits = model.Logits(input);
        var expected = Expected.GetProperty(name).EnumerateArray().SelectMany(r => r.EnumerateArray().Select(v => v.GetSingle())).ToArray();
        using var want = tensor(expected, [1, tokens.Length, 11]);
        logits.allclose(want, rtol: 1e-4, atol: 1e-5).Should().BeTrue($"max difference {(logits - want).abs().max().item<float>()}");
    }

    [Fact]
    public void Saved_and_loaded_models_give_identical_logits()
    {
        var dir = Path.Combine(Path.GetTempPath(), "gpt-files-" + Guid.NewGuid().ToString("N"));
        try
        {
            foreach (var config in new[] { new GptConfig { Layers = 2, Heads = 2, ModelDimension = 8, ContextLength = 6, VocabularySize = 7 },
                                           new GptConfig { Layers = 1, Heads = 1, ModelDimension = 8, ContextLength = 6, VocabularySize = 7, Bias = false, TiedEmbeddings = false, UnembeddingBias = true } })
            {
                using var model = new GptModel(config, seed: 4);
                GptFiles.Save(model, dir);
                using var loaded = GptFiles.Load(dir);
                using var again = GptFiles.Load(Path.Combine(dir, GptFiles.WeightsFileName));
                loaded.Config.Should().Be(config);
                again.Config.Should().Be(config);
                using var noGrad = no_grad();
                using var tokens = randint(7, [2, 6], generator: new Generator(1));
                using var a = model.Logits(tokens);
                using var b = loaded.Logits(tokens);
                a.allclose(b, rtol: 0, atol: 0).Should().BeTrue();
                Directory.GetFiles(dir).Select(Path.GetFileName).Should().BeEquivalentTo(GptFiles.WeightsFileName, GptFiles.ConfigFileName);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Truncated_foreign_and_inconsistent_files_are_clear_errors()
    {
        var dir = Path.Combine(Path.GetTempPath(), "gpt-bad-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var ckpt = File.ReadAllBytes(Path.Combine(Fixtures, "nanogpt_ckpt.pt"));
            var truncated = Path.Combine(dir, "truncated.pt");
            File.WriteAllBytes(truncated, ckpt[..(ckpt.Length / 2)]);
            FluentActions.Invoking(() => GptFiles.Load(truncated)).Should().Throw<InvalidModelFileException>().WithMessage("*truncated.pt*");
            var foreign = Path.Combine(dir, "foreign.pt");
            File.WriteAllText(foreign, "not a model");
            FluentActions.Invoking(() => GptFiles.Load(foreign)).Should().Throw<InvalidModelFileException>().WithMessage("*foreign.pt: not a zip archive*");

            using (var model = new GptModel(new GptConfig { Layers = 1, Heads = 1, ModelDimension = 8, ContextLength = 6, VocabularySize = 7 }))
                GptFiles.Save(model, dir);
            File.WriteAllText(Path.Combine(dir, GptFiles.ConfigFileName), """{"n_layer": 1, "n_head": 1, "n_embd": 8, "block_size": 6, "vocab_size": 9}""");
            FluentActions.Invoking(() => GptFiles.Load(dir)).Should().Throw<InvalidModelFileException>().WithMessage("*transformer.wte.weight*[7, 8]*[9, 8]*");
            File.WriteAllText(Path.Combine(dir, GptFiles.ConfigFileName), """{"n_layer": 1, "n_head": 3, "n_embd": 8}""");
            FluentActions.Invoking(() => GptFiles.Load(dir)).Should().Throw<InvalidModelFileException>().WithMessage("*n_head 3 does not divide*");
            FluentActions.Invoking(() => GptFiles.Load(Path.Combine(dir, "missing"))).Should().Throw<InvalidModelFileException>().WithMessage("*no such file*");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
