using System.Text.Json;
using System.Text.Json.Nodes;
using Sae.Core.LanguageModels;
using Sae.Metrics.Experiments;

namespace Sae.Metrics.Tests.Experiments;

public sealed class ExperimentConfigTests
{
    [Fact]
    public void Settings_put_over_a_configuration_change_those_settings_only()
    {
        var laptop = ExperimentConfig.ChessLaptop;
        var drawn = laptop.With(new JsonObject { ["chess_engine_depth"] = 2, ["chess_random_opening"] = 8, ["chess_random_moves"] = 0.1, ["seed"] = 11 });
        drawn.Should().BeEquivalentTo(laptop with { ChessEngineDepth = 2, ChessRandomOpening = 8, ChessRandomMoves = 0.1, Seed = 11 });
        laptop.With(null).Should().BeSameAs(laptop);
        laptop.With([]).Should().BeEquivalentTo(laptop);
        // A round trip through config.json keeps the settings.
        JsonSerializer.Deserialize<ExperimentConfig>(JsonSerializer.Serialize(drawn)).Should().BeEquivalentTo(drawn);
    }

    [Fact]
    public void An_unknown_name_or_a_value_of_the_wrong_kind_is_refused_naming_it()
    {
        FluentActions.Invoking(() => ExperimentConfig.Laptop.With(new JsonObject { ["engine_depth"] = 2 }))
            .Should().Throw<ArgumentException>().WithMessage("'engine_depth' is not an experiment setting*chess_engine_depth*");
        FluentActions.Invoking(() => ExperimentConfig.Laptop.With(new JsonObject { ["seed"] = "many" }))
            .Should().Throw<ArgumentException>().WithMessage("*do not fit the configuration*");
    }

    [Fact]
    public void Reading_a_model_records_its_shape_and_no_training()
    {
        var reading = ExperimentConfig.ChessLaptop.ReadingModel("chess-gpt-small");
        reading.ModelPath.Should().Be("chess-gpt-small", "a shipped model is recorded by name");
        reading.Model.Should().Be(GptFiles.ReadConfig(PretrainedModels.Path("chess-gpt-small")));
        reading.Model.Should().NotBe(ExperimentConfig.ChessLaptop.Model, "the shipped model's shape, not the chess preset's");
        reading.ModelTraining.Should().BeNull();
        JsonSerializer.Serialize(reading).Should().Contain("\"model_training\":null");
        JsonSerializer.Deserialize<ExperimentConfig>(JsonSerializer.Serialize(reading)).Should().BeEquivalentTo(reading);
        reading.With(new JsonObject { ["layer"] = 5 }).Should().BeEquivalentTo(reading with { Layer = 5 }, "settings put over it keep it reading the model");

        // A bare weights file: the shape comes from the weights.
        var folder = Directory.CreateTempSubdirectory("sae-reading-").FullName;
        var file = Path.Combine(folder, "weights.safetensors");
        try
        {
            File.Copy(Path.Combine(PretrainedModels.Path("othello-gpt-small"), GptFiles.WeightsFileName), file);
            using var shipped = GptFiles.Load("othello-gpt-small");
            var fromFile = ExperimentConfig.Laptop.ReadingModel(file);
            fromFile.Model.Layers.Should().Be(shipped.Config.Layers);
            fromFile.Model.ModelDimension.Should().Be(shipped.Config.ModelDimension);
            fromFile.Model.VocabularySize.Should().Be(shipped.Config.VocabularySize);
        }
        finally { Directory.Delete(folder, recursive: true); }

        FluentActions.Invoking(() => ExperimentConfig.Laptop.ReadingModel("othello-gpt-enormous")).Should().Throw<UnknownModelException>();
        FluentActions.Invoking(() => ExperimentConfig.ChessLaptop.ReadingModel("othello-gpt-small"))
            .Should().Throw<InvalidDataException>().WithMessage("othello-gpt-small: the model has a vocabulary of 61 tokens; chess needs 32.");
    }
}
