using System.Text.Json;
using System.Text.Json.Nodes;
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
}
