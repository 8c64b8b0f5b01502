using System.Text.Json.Nodes;
using Sae.Core.LanguageModels;
using Sae.Metrics.Experiments;
using Sae.Metrics.LanguageModels;

namespace Sae.Metrics.Tests.Experiments;

public sealed class GameModelTrainingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("game-model-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private IGameDataset Games(ExperimentGame game, ExperimentConfig config, int count)
    {
        var path = Path.Combine(_dir, game.GamesFileName);
        game.WriteGames(path, config, count, null, CancellationToken.None);
        return game.Open(path, [], config.Model.ContextLength);
    }

    private static GameModelJob Job(ExperimentConfig config) => new()
    {
        Model = config.Model, Training = new GptTrainingOptions { Steps = 4, BatchSize = 4, WarmupSteps = 1 }, Targets = config.ModelTargets,
        Games = 20, HeldOutFirst = 20, HeldOutGames = 6,
    };

    [Fact]
    public void A_trained_model_is_saved_with_its_record_and_measured_on_the_held_out_games()
    {
        var config = ExperimentTests.Micro;
        using var games = Games(ExperimentGames.Othello, config, 26);
        var job = Job(config);
        using var model = GameModelTraining.NewModel(job);
        var output = Path.Combine(_dir, "model");

        var result = GameModelTraining.Train(model, games, job, output, Path.Combine(_dir, "checkpoint"), new JsonObject { ["data"] = "games.othello" });

        result.HeldOut!.Rate.Should().BeInRange(0, 1);
        result.HeldOut.Loss.Should().Be(games.Measure(model, 20, 6, CancellationToken.None).Loss, "the held-out games are games 20-25");
        var record = JsonNode.Parse(File.ReadAllText(Path.Combine(output, GptFiles.ConfigFileName)))!["training"]!;
        record["train_games"]!.GetValue<int>().Should().Be(20);
        record["targets"]!.GetValue<string>().Should().Be(ModelTargets.LegalMoves);
        record["held_out_loss"]!.GetValue<double>().Should().Be(result.HeldOut.Loss);
        record["data"]!.GetValue<string>().Should().Be("games.othello");
        record["options"]!["steps"]!.GetValue<long>().Should().Be(4);
    }

    [Fact]
    public void A_job_outside_the_data_set_or_against_targets_the_game_lacks_is_refused_before_training()
    {
        var config = ExperimentTests.Micro;
        using (var othello = Games(ExperimentGames.Othello, config, 26))
        {
            var job = Job(config) with { HeldOutGames = 7 };
            using var model = GameModelTraining.NewModel(job);
            var outside = () => GameModelTraining.Train(model, othello, job, Path.Combine(_dir, "m"), Path.Combine(_dir, "c"));
            outside.Should().Throw<ArgumentException>().WithMessage("The data set holds 26 games; the job trains on 20 from game 0 and is measured on 7 from game 20.");
        }
        var chessConfig = ExperimentConfig.ChessSmoke with { Model = ExperimentConfig.ChessSmoke.Model with { Layers = 1, ModelDimension = 16, ContextLength = 32 } };
        using var chess = Games(ExperimentGames.Chess, chessConfig, 26);
        var legalMoves = Job(chessConfig) with { Targets = ModelTargets.LegalMoves };
        using var chessModel = GameModelTraining.NewModel(legalMoves);
        var refused = () => GameModelTraining.Train(chessModel, chess, legalMoves, Path.Combine(_dir, "m"), Path.Combine(_dir, "c"));
        refused.Should().Throw<ArgumentException>().WithMessage("*chess models train on the sampled next characters only*");
        Directory.Exists(Path.Combine(_dir, "m")).Should().BeFalse();
    }
}
