using Sae.Core.LanguageModels;
using static TorchSharp.torch;

namespace Sae.Core.Tests.LanguageModels;

/// <summary>
/// Models found by name: this test project does not reference Sae.Models, so only the folders of
/// <see cref="PretrainedModels.SearchPathVariable"/> hold any (the shipped ones are tested in Sae.Metrics.Tests).
/// </summary>
public sealed class PretrainedModelsTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sae-models-" + Guid.NewGuid().ToString("N"));
    private readonly string? _before = Environment.GetEnvironmentVariable(PretrainedModels.SearchPathVariable);

    public PretrainedModelsTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(PretrainedModels.SearchPathVariable, _before);
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void Without_the_models_package_a_name_fails_saying_how_to_get_models()
    {
        Environment.SetEnvironmentVariable(PretrainedModels.SearchPathVariable, null);
        PretrainedModels.Names.Should().BeEmpty();
        FluentActions.Invoking(() => GptFiles.Load("othello-gpt-small")).Should().Throw<UnknownModelException>()
            .WithMessage("othello-gpt-small: no such file or directory, and no shipped model of that name (none is here: reference the Sae.Models package*");
        // A path that names a missing file is still a missing file, not an unknown model.
        FluentActions.Invoking(() => GptFiles.Load(Path.Combine(_dir, "gone"))).Should().Throw<InvalidModelFileException>().WithMessage("*no such file*");
        FluentActions.Invoking(() => GptFiles.Load("gone.safetensors")).Should().Throw<InvalidModelFileException>();
    }

    [Fact]
    public void Models_in_the_search_path_load_by_name_and_the_first_folder_wins()
    {
        var (first, second) = (Path.Combine(_dir, "a"), Path.Combine(_dir, "b"));
        var config = new GptConfig { Layers = 1, Heads = 2, ModelDimension = 16, ContextLength = 8, VocabularySize = 11 };
        using (var one = new GptModel(config, seed: 1)) GptFiles.Save(one, Path.Combine(first, "tiny"));
        using (var two = new GptModel(config, seed: 2)) GptFiles.Save(two, Path.Combine(second, "tiny"));
        using (var three = new GptModel(config, seed: 3)) GptFiles.Save(three, Path.Combine(second, "other"));
        Directory.CreateDirectory(Path.Combine(second, "not-a-model"));
        Environment.SetEnvironmentVariable(PretrainedModels.SearchPathVariable, first + Path.PathSeparator + second);

        PretrainedModels.Names.Should().Equal("other", "tiny");
        PretrainedModels.Path("tiny").Should().Be(Path.Combine(first, "tiny"));
        PretrainedModels.Resolve("other").Should().Be(Path.Combine(second, "other"));
        PretrainedModels.Resolve(first).Should().Be(first, "an existing path is itself");
        using var byName = GptFiles.Load("tiny");
        using var byPath = GptFiles.Load(Path.Combine(first, "tiny"));
        using var shadowed = GptFiles.Load(Path.Combine(second, "tiny"));
        const string Embedding = "transformer.wte.weight";
        byName.Parameters[Embedding].allclose(byPath.Parameters[Embedding], rtol: 0, atol: 0).Should().BeTrue();
        byName.Parameters[Embedding].allclose(shadowed.Parameters[Embedding], rtol: 0, atol: 0).Should().BeFalse("the first folder's model is the one loaded");
        FluentActions.Invoking(() => PretrainedModels.Path("not-a-model")).Should().Throw<UnknownModelException>()
            .WithMessage("*(shipped: other, tiny)");
    }

    [Fact]
    public void A_card_round_trips_and_a_bad_one_is_refused_by_name()
    {
        var card = new ModelCard
        {
            Name = "tiny", Game = "othello", WeightsSha256 = new string('a', 64), Layer = 1, DataSeed = 7, HeldOutFirstGame = 90, HeldOutGames = 10,
            LegalMoveRate = 0.5, Loss = 2.5, ProbeBsp = "mine_yours_blank_masked", ProbeF1 = [0.25, 0.75],
            Training = new System.Text.Json.Nodes.JsonObject { ["steps"] = 3, ["command"] = "sae lm train --note 'it's `x` & <y>'" },
        };
        var path = Path.Combine(_dir, PretrainedModels.CardFileName);
        card.Write(path);
        File.ReadAllText(path).Should().Contain("\"sae lm train --note 'it's `x` & <y>'\"", "a recorded command stays readable in the file");
        var read = ModelCard.Read(path);
        read.Should().BeEquivalentTo(card, o => o.Excluding(c => c.Training));
        read.Training!["steps"]!.GetValue<int>().Should().Be(3);
        read.Training["command"]!.GetValue<string>().Should().Be("sae lm train --note 'it's `x` & <y>'");
        File.WriteAllText(path, "{\"name\": \"tiny\"}");
        FluentActions.Invoking(() => ModelCard.Read(path)).Should().Throw<InvalidModelFileException>().WithMessage("*not a valid model card*");
        FluentActions.Invoking(() => ModelCard.Read(Path.Combine(_dir, "none.json"))).Should().Throw<InvalidModelFileException>().WithMessage("*no model card*");
    }

    [Fact]
    public void The_SHA_256_is_the_known_digest()
    {
        var path = Path.Combine(_dir, "abc");
        File.WriteAllText(path, "abc");
        ModelCard.Sha256Of(path).Should().Be("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"); // FIPS 180-2, appendix B.1
    }
}
