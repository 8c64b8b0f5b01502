using System.Text.Json;
using Sae.Metrics.Experiments;

namespace Sae.Cli.Tests;

public sealed class RunCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sae-run-" + Guid.NewGuid().ToString("N"));

    public RunCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Chess_runs_from_a_config_file_write_the_report_and_a_json_line()
    {
        var config = ExperimentConfig.ChessSmoke with
        {
            ModelGames = 40, SaeGames = 10, EvalTrainGames = 6, EvalTestGames = 6,
            ModelTraining = ExperimentConfig.ChessSmoke.ModelTraining! with { Steps = 4, BatchSize = 4, WarmupSteps = 1 },
            Model = ExperimentConfig.ChessSmoke.Model with { Layers = 1, ModelDimension = 16, ContextLength = 64 },
            Layer = 0, Features = 32, SaeSteps = 5, SaeBatch = 32, SaeWarmup = 1, MlpNeurons = false, LinearProbe = false,
            Sweep = [new("standard", false, [0.05])],
        };
        var file = Path.Combine(_dir, "chess.json");
        File.WriteAllText(file, JsonSerializer.Serialize(config));
        var runDir = Path.Combine(_dir, "run");
        var (code, output, error) = Sae.Run("", "run", "--config", file, "--out", runDir, "--device", "cpu");
        code.Should().Be(0, error);
        var line = JsonDocument.Parse(Sae.Lines(output)[^1]).RootElement;
        line.GetProperty("records").GetInt32().Should().Be(2, "one SAE and the random-model baseline");
        File.ReadAllText(Path.Combine(runDir, "report.md")).Should().Contain("| standard-0.05 |").And.Contain("piece_blank_initial_masked");
    }

    [Fact]
    public void A_run_folder_resumes_with_the_model_it_started_with_not_the_shipped_default()
    {
        var runDir = Path.Combine(_dir, "started");
        Directory.CreateDirectory(runDir);
        var started = global::Sae.Metrics.Experiments.ExperimentConfig.Smoke with { ModelPath = "othello-gpt-gone", Layer = 1 };
        File.WriteAllText(Path.Combine(runDir, "config.json"), System.Text.Json.JsonSerializer.Serialize(started, new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        var (code, _, error) = Sae.Run("", "run", "--preset", "smoke", "--out", runDir);
        code.Should().Be(2);
        error.Should().Contain("othello-gpt-gone: no such file or directory", "the folder's own model is the one asked for");
    }

    [Fact]
    public void A_new_run_with_a_given_model_generates_no_games_to_train_one_on()
    {
        var model = Path.Combine(_dir, "tiny-model");
        using (var lm = new global::Sae.Core.LanguageModels.GptModel(new global::Sae.Core.LanguageModels.GptConfig { Layers = 1, ModelDimension = 16, Heads = 2 }, seed: 3))
            global::Sae.Core.LanguageModels.GptFiles.Save(lm, model);
        var runDir = Path.Combine(_dir, "given");
        var (code, _, error) = Sae.Run("", "run", "--preset", "smoke", "--model", model, "--layer", "0", "--threads", "1", "--out", runDir);
        code.Should().Be(0, error);
        var smoke = ExperimentConfig.Smoke;
        var written = ExperimentConfig.Read(Path.Combine(runDir, "config.json"));
        written.ModelGames.Should().Be(0);
        written.Model.Should().Be(global::Sae.Core.LanguageModels.GptFiles.ReadConfig(model), "config.json records the shape of the model read, not the preset's");
        written.ModelTraining.Should().BeNull("no model is trained");
        using (var games = global::Sae.Games.Othello.OthelloGameFile.Open(Path.Combine(runDir, "games.othello")))
            games.GameCount.Should().Be(smoke.SaeGames + smoke.EvalTrainGames + smoke.EvalTestGames);

        // Run again, it resumes the folder as it began (nothing to redo).
        (code, _, error) = Sae.Run("", "run", "--preset", "smoke", "--model", model, "--layer", "0", "--threads", "1", "--out", runDir);
        code.Should().Be(0, error);

        // Before config.json recorded the shape of the model read, such a run recorded the preset's shape and training:
        // a folder begun so resumes too, and keeps its configuration.
        var path = Path.Combine(runDir, "config.json");
        var old = written with { Model = smoke.Model, ModelTraining = smoke.ModelTraining };
        File.WriteAllText(path, JsonSerializer.Serialize(old, new JsonSerializerOptions { WriteIndented = true }));
        (code, _, error) = Sae.Run("", "run", "--preset", "smoke", "--model", model, "--layer", "0", "--threads", "1", "--out", runDir);
        code.Should().Be(0, error);
        ExperimentConfig.Read(path).Should().BeEquivalentTo(old);
    }

    [Fact]
    public void A_given_model_folder_with_a_card_is_read_at_the_cards_layer_unless_the_layer_is_given()
    {
        var model = Path.Combine(_dir, "carded-model");
        using (var lm = new global::Sae.Core.LanguageModels.GptModel(new global::Sae.Core.LanguageModels.GptConfig { Layers = 2, ModelDimension = 16, Heads = 2 }, seed: 5))
            global::Sae.Core.LanguageModels.GptFiles.Save(lm, model);
        new global::Sae.Core.LanguageModels.ModelCard
        {
            Name = "carded-model", Game = "othello", WeightsSha256 = global::Sae.Core.LanguageModels.ModelCard.Sha256Of(Path.Combine(model, "model.safetensors")),
            Layer = 0, DataSeed = 1, HeldOutFirstGame = 0, HeldOutGames = 10, Loss = 4.1, ProbeBsp = "mine_yours_blank_masked", ProbeF1 = [0.1, 0.1],
        }.Write(Path.Combine(model, global::Sae.Core.LanguageModels.PretrainedModels.CardFileName));
        ExperimentConfig.Smoke.Layer.Should().NotBe(0, "the test tells the card's layer from the preset's");

        var runDir = Path.Combine(_dir, "carded");
        var (code, _, error) = Sae.Run("", "run", "--preset", "smoke", "--model", model, "--threads", "1", "--out", runDir);
        code.Should().Be(0, error);
        ExperimentConfig.Read(Path.Combine(runDir, "config.json")).Layer.Should().Be(0, "the card beside the weights names layer 0");

        // Without the card the preset's layer holds, and --layer wins over a card.
        var bare = Path.Combine(_dir, "bare-model");
        Directory.CreateDirectory(bare);
        foreach (var file in new[] { "model.safetensors", "config.json" }) File.Copy(Path.Combine(model, file), Path.Combine(bare, file));
        var settings = new[] { ("bare", bare, Array.Empty<string>(), ExperimentConfig.Smoke.Layer), ("layer-given", model, ["--layer", "1"], 1) };
        foreach (var (name, path, extra, layer) in settings)
        {
            var dir = Path.Combine(_dir, name);
            var (c, _, e) = Sae.Run("", ["run", "--preset", "smoke", "--model", path, "--threads", "1", "--out", dir, .. extra]);
            c.Should().Be(0, e);
            ExperimentConfig.Read(Path.Combine(dir, "config.json")).Layer.Should().Be(layer, name);
        }
    }

    [Fact]
    public void Bad_game_options_give_one_error_line_and_write_nothing()
    {
        var runDir = Path.Combine(_dir, "run");
        var cases = new (string[] Args, string Message)[]
        {
            (["run", "--game", "go", "--out", runDir], "Unknown game 'go'"),
            (["run", "--pgn", Path.Combine(_dir, "games.pgn"), "--out", runDir], "--pgn applies to chess"),
            (["run", "--game", "chess", "--pgn", Path.Combine(_dir, "none.pgn"), "--out", runDir], "none.pgn: no such file"),
            (["run", "--game", "chess", "--engine-depth", "9", "--out", runDir], "--engine-depth applies to chess and must be from 1 to 4"),
            (["run", "--game", "chess", "--train-model", "--random-opening", "8", "--out", runDir], "--random-opening applies to chess engine games (--engine-depth)"),
            (["run", "--game", "chess", "--engine-depth", "2", "--random-moves", "1.5", "--out", runDir], "--random-moves applies to chess engine games (--engine-depth) and must be a probability"),
            (["run", "--device", "cuda:x", "--out", runDir], "Unknown device 'cuda:x'"),
            (["run", "--model", Path.Combine(_dir, "no-model"), "--out", runDir], "no-model: no such file or directory"),
            (["run", "--model", "othello-gpt-enormous", "--out", runDir], "no shipped model of that name (shipped: "),
            (["run", "--model", "othello-gpt-small", "--train-model", "--out", runDir], "--model and --train-model: give one or the other"),
        };
        File.WriteAllText(Path.Combine(_dir, "games.pgn"), "1. e4 e5 *");
        foreach (var (args, message) in cases)
        {
            var (code, _, error) = Sae.Run("", args);
            code.Should().Be(2, string.Join(' ', args));
            error.Should().StartWith("sae: error: ").And.Contain(message);
            Directory.Exists(runDir).Should().BeFalse(string.Join(' ', args));
        }
    }
}
