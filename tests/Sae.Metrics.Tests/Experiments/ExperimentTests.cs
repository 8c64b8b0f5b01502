using System.Xml.Linq;
using Sae.Core.Activations;
using Sae.Core.Autoencoders;
using Sae.Games.Chess;
using Sae.Core.LanguageModels;
using Sae.Core.Native;
using Sae.Metrics.Experiments;
using Sae.Metrics.Reports;

namespace Sae.Metrics.Tests.Experiments;

public sealed class ExperimentTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "experiment-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    /// <summary>An experiment small enough for a unit test: 1 layer of d 16, 4 SAEs of 32 features, 20 steps.</summary>
    internal static readonly ExperimentConfig Micro = new()
    {
        ModelGames = 200, SaeGames = 30, EvalTrainGames = 12, EvalTestGames = 12,
        Model = new GptConfig { Layers = 1, ModelDimension = 16, Heads = 2 },
        ModelTraining = new GptTrainingOptions { Steps = 15, BatchSize = 8, WarmupSteps = 3, CheckpointEvery = 5 },
        Layer = 0, Features = 32, SaeSteps = 20, SaeBatch = 64, SaeWarmup = 5,
        Sweep = [new("standard", false, [0.05, 0.1], LearningRate: 4e-3), new("standard", true, [0.05]), new("topk", false, [4])],
    };

    [Fact]
    public void A_run_writes_every_record_and_a_report_and_a_rerun_skips_finished_steps()
    {
        // The device comes from a setting (SAE_TEST_DEVICE, else a GPU if there is one): every step must follow it.
        var device = ComputeDevice.Parse(Environment.GetEnvironmentVariable("SAE_TEST_DEVICE") ?? "auto");
        var records = Experiment.Run(Micro, _dir, device: device);
        records.Select(r => r.Name).Should().Equal("standard-0.05", "standard-0.1", "standard-anneal-0.05", "topk-4", "random-model-standard", "mlp_neurons_layer_0", "linear_probe_layer_0");
        records.Where(r => r.Subject is "sae" or "random_model_sae").Should().OnlyContain(r => r.L0 > 0 && r.LossRecovered != null);
        records.Single(r => r.Name == "topk-4").L0.Should().BeApproximately(4, 1e-9, "a TopK SAE has exactly k active features");

        foreach (var cfg in Directory.GetFiles(Path.Combine(_dir, "saes"), SaeFiles.ConfigFileName, SearchOption.AllDirectories))
            SaeFiles.ReadConfig(Path.GetDirectoryName(cfg)!).Device.Should().Be(device.type == TorchSharp.DeviceType.CUDA ? "cuda" : "cpu", "the SAEs trained on the chosen device");

        // Each family trains at its own learning rate, the random-model SAE at the Standard family's, and a family without one at the recipe's.
        double LearningRate(string sae) => System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(_dir, "saes", sae, SaeFiles.ConfigFileName)))!["training"]!["lr"]!.GetValue<double>();
        LearningRate("standard-0.1").Should().Be(4e-3);
        LearningRate("random-model-standard").Should().Be(4e-3);
        LearningRate("standard-anneal-0.05").Should().Be(3e-4);
        var saved = System.Text.Json.JsonSerializer.Serialize(Micro);
        saved.Should().Contain("\"learning_rate\":0.004");
        System.Text.Json.JsonSerializer.Deserialize<ExperimentConfig>(saved)!.Sweep.Select(e => e.LearningRate).Should().Equal(4e-3, null, null);

        GptFiles.ReadConfig(Path.Combine(_dir, "model")).Should().Be(Micro.Model,
            "the random-model baseline is built from the loaded model's shape, so a resumed run must rebuild the same one");
        var weights = Path.Combine(_dir, "model", GptFiles.WeightsFileName);
        var written = File.GetLastWriteTimeUtc(weights);
        var again = Experiment.Run(Micro, _dir);
        again.Should().BeEquivalentTo(records, "finished evaluations are read back, not redone");
        File.GetLastWriteTimeUtc(weights).Should().Be(written, "the model is not retrained");

        var markdown = ExperimentReport.Write(_dir);
        foreach (var record in records) markdown.Should().Contain($"| {record.Name} |");
        // Every step of the plan recorded its time, finished, and the report lists them last.
        using (var plan = Experiment.Plan(Micro, _dir))
            StepTiming.ReadAll(_dir).Select(t => t.Step).Should().BeEquivalentTo(plan.Steps.Select(s => s.Name));
        StepTiming.ReadAll(_dir).Should().OnlyContain(t => t.Finished && t.Seconds >= 0);
        markdown[markdown.IndexOf(ExperimentReport.TimeTakenHeading, StringComparison.Ordinal)..].Should().Contain("| train SAEs | train-saes |").And.Contain("| generate games | prepare |");
        markdown.Should().Contain("p-annealing, Standard: best coverage").And.Contain("randomly initialised model");
        Directory.GetFiles(Path.Combine(_dir, "charts"), "feature-*.svg").Should().NotBeEmpty("the best SAE's most board-specific features are drawn");
        foreach (var svg in Directory.GetFiles(Path.Combine(_dir, "charts"), "*.svg"))
            XDocument.Parse(File.ReadAllText(svg)).Root!.Name.LocalName.Should().Be("svg");
        File.ReadAllText(Path.Combine(_dir, "report.html")).Should().Contain("<table class=\"sortable\">").And.Contain("<svg").And.Contain("class=\"hollow\"", "the paper's SAEs are drawn beside ours");
        File.ReadAllText(Path.Combine(_dir, FeatureBrowserPage.FileName)).Should().Contain("\"saeName\"", "the feature browser is written beside the report");

        // The model's loss on the test games is in the report; a run folder made before the experiment and `sae lm train` shared their training step records it as "loss".
        var modelConfig = Path.Combine(_dir, "model", GptFiles.ConfigFileName);
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(modelConfig))!;
        var training = json["training"]!.AsObject();
        var loss = training["held_out_loss"]!.GetValue<double>();
        markdown.Should().Contain(FormattableString.Invariant($"loss {loss:F3} nats"));
        training.Remove("held_out_loss");
        training["loss"] = loss + 1;
        File.WriteAllText(modelConfig, json.ToJsonString());
        ExperimentReport.Write(_dir).Should().Contain(FormattableString.Invariant($"loss {loss + 1:F3} nats"));
    }

    [Fact]
    public void The_plan_lists_the_steps_in_order_none_done_before_a_run_and_each_done_after_it()
    {
        var config = Micro with { Sweep = [new("topk", false, [4])] };
        string[] names = ["generate games", "train model", "collect activations", "train SAEs", "collect random-model activations", "train random-model SAE",
            "evaluate topk-4", "evaluate random-model-standard", "write feature views", "evaluate mlp-neurons", "evaluate linear-probe", "write report"];
        using (var plan = Experiment.Plan(config, _dir))
        {
            plan.Steps.Select(s => s.Name).Should().Equal(names);
            plan.Steps.Should().OnlyContain(s => !s.IsDone(), "nothing has run in a new folder");
            plan.Steps.Should().OnlyContain(s => s.Outputs.Count > 0 && s.Outputs.All(o => o.StartsWith(_dir)), "each step writes in the run folder");
            plan.Steps[1].Inputs.Should().Equal(plan.Steps[0].Outputs, "the model trains on the games");
            plan.Steps.Select(s => s.Stage).Should().BeInAscendingOrder("each stage runs after the stages it reads from");
        }
        Experiment.Run(config, _dir).Select(r => r.Name).Should().Equal("topk-4", "random-model-standard", "mlp_neurons_layer_0", "linear_probe_layer_0");
        using var done = Experiment.Plan(config, _dir);
        done.Steps.Select(s => s.Name).Should().Equal(names);
        done.Steps.Where(s => !s.IsDone()).Select(s => s.Name).Should().BeEmpty("a run does every step");
        done.Steps.SelectMany(s => s.Outputs).Should().OnlyContain(o => File.Exists(o) || Directory.Exists(o), "a done step's outputs are there");
    }

    [Fact]
    public void A_trained_model_given_by_path_is_copied_in_and_measured_instead_of_training_one()
    {
        var trained = Path.Combine(_dir, "trained");
        using (var model = new GptModel(new GptConfig { Layers = 2, ModelDimension = 24, Heads = 2 }, seed: 7)) GptFiles.Save(model, trained);
        var config = Micro with { ModelPath = trained, Layer = 1, Sweep = [new("topk", false, [4])], MlpNeurons = false, LinearProbe = false };
        var run = Path.Combine(_dir, "run");

        var records = Experiment.Run(config, run);

        records.Select(r => r.Name).Should().Equal("topk-4", "random-model-standard");
        Directory.Exists(Path.Combine(run, "model-checkpoint")).Should().BeFalse("no model is trained");
        using (var original = GptFiles.Load(trained))
        using (var copy = GptFiles.Load(Path.Combine(run, "model")))
            foreach (var (name, parameter) in original.Parameters)
                copy.Parameters[name].data<float>().ToArray().Should().Equal(parameter.data<float>().ToArray(), name);
        var training = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(run, "model", GptFiles.ConfigFileName)))!["training"]!;
        training["source"]!.GetValue<string>().Should().Be(Path.GetFullPath(trained));
        training["legal_move_rate"]!.GetValue<double>().Should().BeInRange(0, 1);
        SaeFiles.ReadConfig(Path.Combine(run, "saes", "random-model-standard")).InputDimension.Should().Be(24, "the random-model baseline takes the given model's shape, not config.model's");
        ExperimentReport.Write(run).Should().Contain("2 layers, d_model 24").And.Contain("trained elsewhere");
    }

    [Fact]
    public void A_given_model_that_does_not_fit_the_game_or_the_layer_is_refused_before_it_is_copied()
    {
        var chessModel = Path.Combine(_dir, "chess-model");
        using (var model = new GptModel(new GptConfig { Layers = 2, ModelDimension = 16, Heads = 2, VocabularySize = 32 }, seed: 7)) GptFiles.Save(model, chessModel);
        var othello = Path.Combine(_dir, "othello-model");
        using (var model = new GptModel(new GptConfig { Layers = 2, ModelDimension = 16, Heads = 2 }, seed: 7)) GptFiles.Save(model, othello);

        var run = Path.Combine(_dir, "run-vocab");
        var wrongGame = () => Experiment.Run(Micro with { ModelPath = chessModel }, run);
        wrongGame.Should().Throw<InvalidDataException>().WithMessage("*vocabulary of 32 tokens; othello needs 61*");
        Directory.Exists(Path.Combine(run, "model")).Should().BeFalse("a model that does not fit is not copied in");

        var wrongLayer = () => Experiment.Run(Micro with { ModelPath = othello, Layer = 2 }, Path.Combine(_dir, "run-layer"));
        wrongLayer.Should().Throw<InvalidDataException>().WithMessage("*layer 2 is asked for, but the model has blocks 0..1*");
    }

    [Fact]
    public void A_folder_of_another_configuration_is_refused()
    {
        Directory.CreateDirectory(_dir);
        File.WriteAllText(Path.Combine(_dir, Experiment.ConfigFileName), "{}");
        FluentActions.Invoking(() => Experiment.Run(Micro, _dir)).Should().Throw<InvalidDataException>().WithMessage("*another configuration*");
    }

    private static readonly ExperimentConfig ChessMicro = Micro with
    {
        Game = "chess", ModelTargets = "sampled",
        ModelGames = 40, SaeGames = 12, EvalTrainGames = 8, EvalTestGames = 8,
        Model = new GptConfig { Layers = 1, ModelDimension = 16, Heads = 2, VocabularySize = ChessGptTranscript.Vocabulary.Length, ContextLength = 96, Bias = false },
        ModelTraining = new GptTrainingOptions { Steps = 6, BatchSize = 4, WarmupSteps = 2, CheckpointEvery = 3 },
        Sweep = [new("standard", false, [0.05]), new("gated", true, [0.5]), new("topk", false, [4])],
        Bsps = [ChessProperties.PieceBlankInitialMasked.Name, ChessProperties.Strategy[0].Name],
    };

    [Fact]
    public void A_chess_run_samples_the_dots_of_seeded_games_and_reports_against_the_chess_paper()
    {
        var records = Experiment.Run(ChessMicro, _dir);
        records.Select(r => r.Name).Should().Equal("standard-0.05", "gated-anneal-0.5", "topk-4", "random-model-standard", "mlp_neurons_layer_0", "linear_probe_layer_0");
        records.Should().OnlyContain(r => r.Bsps.Select(b => b.Bsp).SequenceEqual(ChessMicro.Bsps));

        // The games: seeded random games as transcripts cut to what the model reads (96 characters + 1 target).
        var transcripts = File.ReadAllLines(Path.Combine(_dir, "games.txt"));
        transcripts.Should().HaveCount(68);
        transcripts[5].Should().Be(ChessGptTranscript.Truncate(ChessGptTranscript.Format(RandomChessGames.Game(ChessMicro.Seed, 5, 96)), 97));
        // Rows: every character among the first 96 of the SAE games (the reference's SAEs read every position; boards are sampled at the dots).
        using var store = ActivationStore.Open(Path.Combine(_dir, "activations"));
        store.Count.Should().Be(transcripts.Skip(40).Take(12).Sum(t => Math.Min(96, t.Length)));
        var markdown = ExperimentReport.Write(_dir);
        markdown.Should().Contain("piece_blank_initial_masked").And.Contain("coverage near 0.47").And.Contain("| 0.110 | 0.005 |");
    }

    [Fact]
    public void A_chess_run_reads_real_games_from_pgn_and_says_when_there_are_too_few()
    {
        var pgn = Path.Combine(Path.GetTempPath(), "games-" + Guid.NewGuid().ToString("N") + ".pgn");
        try
        {
            // 68 games written as PGN from seeded random games, one of them broken.
            var games = Enumerable.Range(0, 69).Select(i => RandomChessGames.Game(7, i, 60)).ToList();
            var text = string.Join("\n\n", games.Select((g, i) => i == 3
                ? "[Event \"broken\"]\n\n1. e4 e5 2. Ke3 *"
                : $"[Event \"g{i}\"]\n\n{ChessGptTranscript.Format(g)[1..].Replace(".", ". ")} *"));
            File.WriteAllText(pgn, text);
            var config = ChessMicro with { Pgn = pgn };
            Experiment.Run(config, _dir);
            var transcripts = File.ReadAllLines(Path.Combine(_dir, "games.txt"));
            transcripts.Should().HaveCount(68);
            transcripts[3].Should().Be(ChessGptTranscript.Truncate(ChessGptTranscript.Format(games[4]), 97), "the broken game is skipped");

            Directory.Delete(_dir, recursive: true);
            FluentActions.Invoking(() => Experiment.Run(config with { ModelGames = 100 }, _dir)).Should().Throw<InvalidDataException>()
                .WithMessage("*68 usable games (1 skipped*needs 128*");
        }
        finally
        {
            File.Delete(pgn);
        }
    }

    [Fact]
    public void Presets_exist_for_both_games_and_unknown_names_are_refused()
    {
        ExperimentConfig.Preset("laptop").Game.Should().Be("othello");
        ExperimentConfig.Preset("smoke", "chess").Should().Match<ExperimentConfig>(c => c.Game == "chess" && c.Model.VocabularySize == 32 && c.ModelTargets == "sampled");
        ExperimentConfig.Preset("paper", "chess").Model.Should().Be(GptConfig.ChessGpt);
        FluentActions.Invoking(() => ExperimentConfig.Preset("huge", "chess")).Should().Throw<ArgumentException>().WithMessage("*preset 'huge'*");
        FluentActions.Invoking(() => ExperimentConfig.Preset("laptop", "go")).Should().Throw<ArgumentException>().WithMessage("*game 'go'*");
        FluentActions.Invoking(() => Experiment.Run(ChessMicro with { ModelTargets = "legal-moves" }, _dir)).Should().Throw<ArgumentException>().WithMessage("*chess models train on the sampled*");
        // A setting added later, when unset, must not change config.json, or earlier run folders would be refused on re-run.
        System.Text.Json.JsonSerializer.Serialize(ExperimentConfig.Laptop).Should().NotContain("model_path");
        System.Text.Json.JsonSerializer.Serialize(ExperimentConfig.Laptop with { ModelPath = "m" }).Should().Contain("\"model_path\":\"m\"");
    }
}
