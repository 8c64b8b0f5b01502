using System.Globalization;
using System.Text;
using System.Text.Json;
using Sae.Core;
using Sae.Core.Activations;
using Sae.Core.Architectures;
using Sae.Core.Autoencoders;
using Sae.Core.LanguageModels;
using Sae.Core.Training;
using Sae.Metrics.Evaluation;
using Sae.Metrics.LanguageModels;
using Sae.Metrics.Reports;

namespace Sae.Metrics.Experiments;

/// <summary>
/// The paper's experiment, on any registered game (<see cref="ExperimentGames"/>: Othello, chess), in one call, every step's output in one folder:
/// generate (or read) games → train a small game model → collect the residual stream after one block → train the sweep of SAEs
/// from one activation stream → evaluate each and the baselines (MLP neurons, a linear probe, an SAE
/// on a randomly initialised model). A step whose output exists is skipped, and the two training steps
/// resume from their checkpoints, so an interrupted run picks up where it stopped.
/// </summary>
public static class Experiment
{
    /// <summary>The configuration's file name in the run folder.</summary>
    public const string ConfigFileName = "config.json";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>
    /// Runs (or resumes) the experiment in <paramref name="directory"/> and returns every evaluation record.
    /// Models and SAEs are created or loaded on <paramref name="device"/> (the CPU by default; see
    /// <see cref="Sae.Core.Native.ComputeDevice"/>), and every computation follows them there; a run may
    /// be resumed on another device.
    /// </summary>
    /// <exception cref="InvalidDataException">The folder holds a run of another configuration.</exception>
    public static IReadOnlyList<EvaluationRecord> Run(ExperimentConfig config, string directory, IProgress<ExperimentProgress>? progress = null,
        CancellationToken cancellationToken = default, TorchSharp.torch.Device? device = null)
    {
        device ??= TorchSharp.torch.CPU;
        Directory.CreateDirectory(directory);
        var configJson = JsonSerializer.Serialize(config, Indented);
        var configPath = Path.Combine(directory, ConfigFileName);
        if (File.Exists(configPath) && File.ReadAllText(configPath) != configJson)
            throw new InvalidDataException($"{directory} holds a run of another configuration ({configPath}); use another --out or delete it.");
        File.WriteAllText(configPath, configJson);
        void Report(string step, long done = 0, long total = 0, string unit = "") => progress?.Report(new ExperimentProgress(step, done, total, unit));

        // 1. Games: the model's, the SAEs', then the evaluation's train and test splits, in that order.
        var total = (long)config.ModelGames + config.SaeGames + config.EvalTrainGames + config.EvalTestGames;
        using var game = OpenGames(ExperimentGames.Get(config.Game), directory, config, total, Report, cancellationToken);
        var saeFirst = (long)config.ModelGames;
        var evalFirst = saeFirst + config.SaeGames;
        var testFirst = evalFirst + config.EvalTrainGames;
        var train = game.Positions(evalFirst, config.EvalTrainGames);
        var test = game.Positions(testFirst, config.EvalTestGames);

        // 2. The language model.
        var modelDir = Path.Combine(directory, "model");
        using var model = File.Exists(Path.Combine(modelDir, GptFiles.ConfigFileName)) ? GptFiles.Load(modelDir, device)
            : config.ModelPath is { } modelPath ? ImportModel(modelPath, config, game, testFirst, modelDir, device, Report, cancellationToken)
            : TrainModel(config, game, testFirst, modelDir, device, Report, cancellationToken);
        CheckFits(model, config, modelDir);
        model.ProductType = ProductPrecision.Default(device);

        // 3–4. Activations, and the sweep trained from one stream of them.
        var saesDir = Path.Combine(directory, "saes");
        var names = SweepNames(config);
        if (names.Any(n => !File.Exists(Path.Combine(saesDir, n.Name, SaeFiles.ConfigFileName))))
        {
            var store = Collect(model, config.Layer, game, saeFirst, config.SaeGames, Path.Combine(directory, "activations"), "collect activations", Report, cancellationToken);
            TrainSaes(config, store, names, saesDir, device, Report, cancellationToken);
        }

        // 5. Baseline: an SAE on a randomly initialised model of the same shape.
        GptModel RandomModel() // the same weights whenever it is rebuilt
        {
            var randomModel = new GptModel(model.Config, (long)config.Seed + 1) { ProductType = ProductPrecision.Default(device) };
            randomModel.MoveTo(device);
            return randomModel;
        }
        SparseAutoencoder LoadSae(string path) => SaeFiles.Load(path, device);
        var randomSae = Path.Combine(saesDir, "random-model-standard");
        if (config.RandomModelSae && !File.Exists(Path.Combine(randomSae, SaeFiles.ConfigFileName)))
        {
            using var randomModel = RandomModel();
            var store = Collect(randomModel, config.Layer, game, saeFirst, config.SaeGames, Path.Combine(directory, "random-model-activations"), "collect random-model activations", Report, cancellationToken);
            var standard = SaeArchitectures.Standard.Name;
            // The sweep's Standard family, trained the same way, at its smallest penalty.
            var family = config.Sweep.FirstOrDefault(s => s.Architecture == standard && !s.PAnneal);
            var penalty = family?.Penalties.Order().ElementAt(0) ?? 0.05;
            TrainSaes(config, store, [(Path.GetFileName(randomSae), new SaeSweepEntry(standard, false, [penalty], family?.LearningRate), penalty)], saesDir, device, Report, cancellationToken);
        }

        // 6. Evaluation, one record per subject; finished records are kept.
        var evalDir = Path.Combine(directory, "eval");
        Directory.CreateDirectory(evalDir);
        var records = new List<EvaluationRecord>();
        EvaluationRecord Once(string name, Func<EvaluationRecord> evaluate)
        {
            var path = Path.Combine(evalDir, name + ".json");
            if (File.Exists(path)) return JsonSerializer.Deserialize<EvaluationRecord>(File.ReadAllText(path))!;
            Report($"evaluate {name}");
            var record = evaluate();
            File.WriteAllText(path, JsonSerializer.Serialize(record, Indented));
            return record;
        }
        SplitResiduals? residuals = null; // read once, when the first unfinished evaluation needs them
        SplitResiduals Residuals() => residuals ??= SplitResiduals.Read(model, config.Layer, train, test, cancellationToken: cancellationToken);
        try
        {
            foreach (var (name, _, _) in names)
                records.Add(Once(name, () =>
                {
                    using var sae = LoadSae(Path.Combine(saesDir, name));
                    return BoardStateEvaluation.EvaluateSae(model, config.Layer, sae, name, train, test, residuals: Residuals(), cancellationToken: cancellationToken);
                }));
            if (config.RandomModelSae)
                records.Add(Once("random-model-standard", () =>
                {
                    using var randomModel = RandomModel();
                    using var sae = LoadSae(randomSae);
                    return BoardStateEvaluation.EvaluateSae(randomModel, config.Layer, sae, "random-model-standard", train, test, cancellationToken: cancellationToken) with { Subject = "random_model_sae" };
                }));
            WriteFeatureViews(directory, records, saesDir, train, Residuals, LoadSae);
            if (config.MlpNeurons) records.Add(Once("mlp-neurons", () => BoardStateEvaluation.EvaluateMlpNeurons(model, config.Layer, train, test, cancellationToken: cancellationToken)));
            if (config.LinearProbe) records.Add(Once("linear-probe", () => BoardStateEvaluation.EvaluateLinearProbe(model, config.Layer, train, test, residuals: Residuals(), cancellationToken: cancellationToken)));
        }
        finally
        {
            residuals?.Dispose();
        }
        return records;
    }

    /// <summary>The name of every SAE of the sweep, with its family and penalty: e.g. <c>gated-anneal-0.5</c>.</summary>
    public static IReadOnlyList<(string Name, SaeSweepEntry Entry, double Penalty)> SweepNames(ExperimentConfig config) =>
        [.. config.Sweep.SelectMany(entry => entry.Penalties.Select(p =>
            ($"{entry.Architecture}{(entry.PAnneal ? "-anneal" : "")}-{p.ToString(CultureInfo.InvariantCulture)}", entry, p)))];

    private static GptModel TrainModel(ExperimentConfig config, IGameDataset game, long testFirst, string modelDir,
        TorchSharp.torch.Device device, Action<string, long, long, string> report, CancellationToken cancellationToken)
    {
        var options = config.ModelTraining with { Seed = (long)config.Seed };
        var model = new GptModel(config.Model, options.Seed) { ProductType = ProductPrecision.Default(device) };
        try
        {
            model.MoveTo(device);
            var history = new StringBuilder("step,loss,learning_rate\n");
            GptTraining.Train(model, game.TrainingSequences(0, config.ModelGames, config.ModelTargets), options, modelDir + "-checkpoint", new InlineProgress<GptTrainingProgress>(p =>
            {
                report("train model", p.Step + 1, p.Steps, "steps");
                if (p.Step % 10 == 0) history.Append(CultureInfo.InvariantCulture, $"{p.Step},{p.Loss},{p.LearningRate}\n");
            }), cancellationToken, damaged => report(damaged.ToString(), 0, 0, ""));
            MeasureAndSave(model, game, testFirst, config.EvalTestGames, modelDir, new System.Text.Json.Nodes.JsonObject
            {
                ["games"] = config.ModelGames,
                ["options"] = JsonSerializer.SerializeToNode(options),
                ["targets"] = config.ModelTargets,
            }, report, cancellationToken);
            File.WriteAllText(Path.Combine(modelDir, "training.csv"), history.ToString());
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Loads the trained model at <paramref name="path"/> (or the shipped model of that name) and keeps a copy in the
    /// run folder, measured on the test games like a trained one, with its model card where it has one.
    /// </summary>
    private static GptModel ImportModel(string path, ExperimentConfig config, IGameDataset game, long testFirst, string modelDir,
        TorchSharp.torch.Device device, Action<string, long, long, string> report, CancellationToken cancellationToken)
    {
        report("load the model", 0, 0, "");
        var source = PretrainedModels.Resolve(path);
        var model = GptFiles.Load(source, device);
        try
        {
            CheckFits(model, config, source);
            foreach (var card in new[] { PretrainedModels.CardFileName, PretrainedModels.NarrativeCardFileName }.Select(n => Path.Combine(source, n)).Where(File.Exists))
            {
                Directory.CreateDirectory(modelDir);
                File.Copy(card, Path.Combine(modelDir, Path.GetFileName(card)), overwrite: true);
            }
            MeasureAndSave(model, game, testFirst, config.EvalTestGames, modelDir, new System.Text.Json.Nodes.JsonObject { ["source"] = source }, report, cancellationToken);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Refuses a model (read from <paramref name="source"/>) whose vocabulary is not the game's or that has no block <see cref="ExperimentConfig.Layer"/>.</summary>
    /// <exception cref="InvalidDataException">The model does not fit.</exception>
    private static void CheckFits(GptModel model, ExperimentConfig config, string source)
    {
        if (model.Config.VocabularySize != config.Model.VocabularySize)
            throw new InvalidDataException($"{source}: the model has a vocabulary of {model.Config.VocabularySize} tokens; {config.Game} needs {config.Model.VocabularySize}.");
        if (config.Layer < 0 || config.Layer >= model.Config.Layers)
            throw new InvalidDataException($"{source}: layer {config.Layer} is asked for, but the model has blocks 0..{model.Config.Layers - 1}.");
    }

    /// <summary>Measures <paramref name="model"/> on the test games and saves it in <paramref name="modelDir"/> with <paramref name="training"/> and the measures.</summary>
    private static void MeasureAndSave(GptModel model, IGameDataset game, long testFirst, int testGames, string modelDir, System.Text.Json.Nodes.JsonObject training,
        Action<string, long, long, string> report, CancellationToken cancellationToken)
    {
        report("measure the model on the test games", 0, 0, "");
        var measured = game.Measure(model, testFirst, testGames, cancellationToken);
        training["legal_move_rate"] = double.IsNaN(measured.Rate) ? null : measured.Rate;
        training["loss"] = measured.Loss;
        GptFiles.Save(model, modelDir, training);
    }

    /// <summary>
    /// What the features detect: board heat-maps of the most board-specific features of the SAE with the best headline
    /// reconstruction (charts/feature-*.svg, for the report), and the feature browser (features.html) of the best SAE of
    /// each family, best first. Each is skipped where it was written before.
    /// </summary>
    private static void WriteFeatureViews(string directory, IReadOnlyList<EvaluationRecord> records, string saesDir, GamePositions train, Func<SplitResiduals> residuals,
        Func<string, SparseAutoencoder> loadSae)
    {
        var charts = Path.Combine(directory, "charts");
        var browser = Path.Combine(directory, FeatureBrowserPage.FileName);
        var chosen = records.Where(r => r.Subject == "sae").GroupBy(ExperimentReport.Family).Select(g => g.MaxBy(r => r.Bsps[0].ReconstructionF1)!)
            .OrderByDescending(r => r.Bsps[0].ReconstructionF1).ThenBy(r => r.Name, StringComparer.Ordinal).ToList();
        var mapsDone = Directory.Exists(charts) && Directory.GetFiles(charts, "feature-*.svg").Length > 0;
        if (chosen.Count == 0 || train.Slices[0].Shape.Rows != 8 || mapsDone && File.Exists(browser)) return;
        Directory.CreateDirectory(charts);
        using var labels = train.LabelTensor();
        var pages = new List<FeatureBrowserData>();
        foreach (var record in chosen)
        {
            using var sae = loadSae(Path.Combine(saesDir, record.Name));
            using var features = sae.Encode(residuals().Train.to(sae.Device)).detach().cpu();
            if (!mapsDone && record == chosen[0])
                foreach (var (feature, _, map) in FeatureBoardMaps.Top(features, labels, train.Slices[0]))
                    File.WriteAllText(Path.Combine(charts, $"feature-{feature}.svg"), BoardSvg.HeatMap(map with { Title = $"{record.Name}, {map.Title}" }));
            using var decoder = sae.W_dec.detach().cpu();
            pages.Add(FeatureBrowsing.Measure(record.Name, features, train, train.Slices[0], decoder));
        }
        FeatureBrowserPage.Write(browser, pages);
    }

    /// <summary>Opens the run folder's games, writing <paramref name="total"/> of them first if the file is missing.</summary>
    /// <exception cref="InvalidDataException">The games file holds fewer games than the configuration needs.</exception>
    private static IGameDataset OpenGames(ExperimentGame kind, string directory, ExperimentConfig config, long total,
        Action<string, long, long, string> report, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, kind.GamesFileName);
        if (!File.Exists(path))
        {
            report("generate games", 0, total, "games");
            kind.WriteGames(path, config, total, new InlineProgress<long>(n => report("generate games", n, total, "games")), cancellationToken);
        }
        var games = kind.Open(path, config.Bsps, config.Model.ContextLength);
        if (games.Count >= total) return games;
        games.Dispose();
        throw new InvalidDataException($"{path} holds {games.Count} games; the configuration needs {total} (model, SAE and evaluation games). Delete it or change the sizes.");
    }

    private static string Collect(GptModel model, int layer, IGameDataset game, long first, int count, string storeDir, string step,
        Action<string, long, long, string> report, CancellationToken cancellationToken)
    {
        if (ActivationStore.IsStore(storeDir)) return storeDir;
        var (tokens, width, positions) = game.Samples(first, count);
        ActivationCollector.Collect(model, layer, tokens, width, positions, first, storeDir,
            progress: new InlineProgress<long>(n => report(step, n, count, "games")), cancellationToken: cancellationToken);
        return storeDir;
    }

    private static void TrainSaes(ExperimentConfig config, string storeDir, IReadOnlyList<(string Name, SaeSweepEntry Entry, double Penalty)> saes, string saesDir,
        TorchSharp.torch.Device device, Action<string, long, long, string> report, CancellationToken cancellationToken)
    {
        using var store = ActivationStore.Open(storeDir);
        var settings = saes.Select((s, i) => new SaeTrainerSettings
        {
            Steps = config.SaeSteps, Warmup = config.SaeWarmup, Seed = (long)config.Seed + i, PAnneal = s.Entry.PAnneal, LearningRate = s.Entry.LearningRate, Device = device,
        }).ToList();
        var trainers = new List<SaeTrainer>();
        try
        {
            for (var i = 0; i < saes.Count; i++)
                trainers.Add(SaeArchitectures.Get(saes[i].Entry.Architecture).CreateTrainer(store.Dimension, config.Features, saes[i].Penalty, settings[i]));
            var options = new TrainingOptions
            {
                BatchSize = config.SaeBatch, Steps = config.SaeSteps, Seed = config.Seed,
                CheckpointEvery = Math.Max(1, config.SaeSteps / 10), CheckpointDirectory = Path.Combine(saesDir, $"checkpoint-{saes[0].Name}"),
                OnDamagedCheckpoint = damaged => report(damaged.ToString(), 0, 0, ""),
            };
            var curves = new StringBuilder("step,sae,loss,l0\n");
            SaeTraining.Run(trainers, store, options, new InlineProgress<TrainingProgress>(p =>
            {
                report("train SAEs", p.Step + 1, p.Steps, "steps");
                if (p.Step % 10 == 0)
                    for (var i = 0; i < p.Metrics.Count; i++)
                        curves.Append(CultureInfo.InvariantCulture, $"{p.Step},{saes[i].Name},{p.Metrics[i].Loss},{p.Metrics[i].L0}\n");
            }), cancellationToken);
            for (var i = 0; i < trainers.Count; i++)
                trainers[i].Sae.Save(Path.Combine(saesDir, saes[i].Name), SaeArchitectures.Get(saes[i].Entry.Architecture).Describe(trainers[i], settings[i], options));
            File.AppendAllText(Path.Combine(saesDir, "training.csv"), curves.ToString());
        }
        finally
        {
            foreach (var trainer in trainers) trainer.Dispose();
        }
    }
}
