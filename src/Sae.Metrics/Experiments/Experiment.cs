using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sae.Core;
using Sae.Core.Activations;
using Sae.Core.Architectures;
using Sae.Core.Autoencoders;
using Sae.Core.IO;
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
/// on a randomly initialised model) → write the report. A step whose output exists is skipped, and the two training steps
/// resume from their checkpoints, so an interrupted run picks up where it stopped.
/// </summary>
public static class Experiment
{
    /// <summary>The configuration's file name in the run folder.</summary>
    public const string ConfigFileName = "config.json";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>
    /// Runs (or resumes) the experiment in <paramref name="directory"/>, writes its report (<see cref="ExperimentReport.FileName"/>), and returns every evaluation record.
    /// Models and SAEs are created or loaded on <paramref name="device"/> (the CPU by default; see
    /// <see cref="Sae.Core.Native.ComputeDevice"/>), and every computation follows them there; a run may
    /// be resumed on another device. It walks the <see cref="Plan"/>'s steps, skipping those that are done.
    /// </summary>
    /// <exception cref="InvalidDataException">The folder holds a run of another configuration.</exception>
    public static IReadOnlyList<EvaluationRecord> Run(ExperimentConfig config, string directory, IProgress<ExperimentProgress>? progress = null,
        CancellationToken cancellationToken = default, TorchSharp.torch.Device? device = null)
    {
        using var plan = Plan(config, directory, progress, cancellationToken, device);
        foreach (var step in plan.Steps)
            if (!step.IsDone()) step.Run();
        return [.. EvaluationNames(config).Select(plan.Record)];
    }

    /// <summary>
    /// The experiment in <paramref name="directory"/> as declared steps, for the configuration (written to the folder's
    /// <see cref="ConfigFileName"/> when it is not there yet); <see cref="Run"/> walks them. Dispose the plan when done with its steps.
    /// </summary>
    /// <param name="config">The experiment's sizes and hyperparameters.</param>
    /// <param name="directory">The run folder.</param>
    /// <param name="progress">Receives each step's progress.</param>
    /// <param name="cancellationToken">Stops a step at its next checkpoint.</param>
    /// <param name="device">Where models and SAEs run (the CPU by default).</param>
    /// <param name="sweepSlices">
    /// Into how many "train SAEs" steps the sweep is cut (at most one per SAE), so that separate processes (a Slurm array's tasks) can
    /// train them: see <see cref="SweepSlice"/>. Each SAE trains the same whether its slice is the whole sweep or one SAE.
    /// </param>
    /// <exception cref="InvalidDataException">The folder holds a run of another configuration.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sweepSlices"/> is below 1.</exception>
    public static ExperimentPlan Plan(ExperimentConfig config, string directory, IProgress<ExperimentProgress>? progress = null,
        CancellationToken cancellationToken = default, TorchSharp.torch.Device? device = null, int sweepSlices = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sweepSlices, 1);
        Directory.CreateDirectory(directory);
        var configJson = JsonSerializer.Serialize(config, Indented);
        var configPath = Path.Combine(directory, ConfigFileName);
        // Many processes may plan the same folder at once (a Slurm run's tasks): the file is written once, whole.
        if (!File.Exists(configPath)) AtomicFile.WriteAllText(configPath, configJson);
        else if (File.ReadAllText(configPath) != configJson)
            throw new InvalidDataException($"{directory} holds a run of another configuration ({configPath}); use another --out or delete it.");
        return new ExperimentPlan(config, directory, progress, cancellationToken, device ?? TorchSharp.torch.CPU, sweepSlices);
    }

    /// <summary>
    /// Slice <paramref name="index"/> (0-based) of a sweep of <paramref name="count"/> SAEs cut into <paramref name="slices"/>: the SAEs
    /// from <c>index × count / slices</c> up to <c>(index + 1) × count / slices</c> (integer division) in <see cref="SweepNames"/>'s order,
    /// so slices differ in size by at most one and keep neighbouring SAEs (a family's penalties) together.
    /// </summary>
    /// <returns>The first SAE's index and how many SAEs the slice holds.</returns>
    public static (int First, int Count) SweepSlice(int count, int slices, int index)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slices, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, slices);
        var first = (int)((long)index * count / slices);
        return (first, (int)((long)(index + 1) * count / slices) - first);
    }

    /// <summary>The configuration of the run folder <paramref name="directory"/> (its <see cref="ConfigFileName"/>).</summary>
    /// <exception cref="FileNotFoundException">The folder has no configuration.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid configuration.</exception>
    public static ExperimentConfig ConfigOf(string directory)
    {
        var path = Path.Combine(directory, ConfigFileName);
        return File.Exists(path) ? ExperimentConfig.Read(path) : throw new FileNotFoundException($"{directory}: no {ConfigFileName}; not a run folder (sae run writes one).", path);
    }

    /// <summary>The evaluation records' names, in the order <see cref="Run"/> returns them.</summary>
    private static IEnumerable<string> EvaluationNames(ExperimentConfig config) =>
        SweepNames(config).Select(n => n.Name)
            .Concat(config.RandomModelSae ? [RandomModelSae] : [])
            .Concat(config.MlpNeurons ? ["mlp-neurons"] : [])
            .Concat(config.LinearProbe ? ["linear-probe"] : []);

    private const string RandomModelSae = "random-model-standard";

    /// <summary>
    /// The steps of <paramref name="plan"/>'s configuration: games → model → activations → the sweep of SAEs (one stream per slice) →
    /// the random-model baseline's activations and SAE → one evaluation per subject, with the feature views after the SAEs' → the report.
    /// </summary>
    internal static IReadOnlyList<ExperimentStep> Declare(ExperimentPlan plan)
    {
        var config = plan.Config;
        var steps = new List<ExperimentStep>();
        var games = plan.GamesPath;
        var modelDir = plan.ModelDirectory;
        var saesDir = plan.SaesDirectory;
        bool Exists(string file) => File.Exists(file);

        // 1. Games.
        steps.Add(new ExperimentStep("generate games", ExperimentStage.Prepare, [], [games], () => Exists(games), () =>
        {
            plan.Report("generate games", 0, plan.TotalGames, "games");
            ExperimentGames.Get(config.Game).WriteGames(games, config, plan.TotalGames,
                new InlineProgress<long>(n => plan.Report("generate games", n, plan.TotalGames, "games")), plan.CancellationToken);
        }));

        // 2. The language model, trained or imported.
        var modelConfig = Path.Combine(modelDir, GptFiles.ConfigFileName);
        steps.Add(new ExperimentStep(config.ModelPath is null ? "train model" : "load the model", ExperimentStage.Prepare, [games], [modelDir], () => Exists(modelConfig),
            () => plan.Adopt(config.ModelPath is { } modelPath ? ImportModel(modelPath, plan) : TrainModel(plan))));

        // 3–4. Activations, and the sweep trained from one stream of them, in slices that each read the stream once.
        var names = SweepNames(config);
        var saes = names.Select(n => Path.Combine(saesDir, n.Name)).ToList();
        bool Trained(string sae) => Exists(Path.Combine(sae, SaeFiles.ConfigFileName));
        var activations = Path.Combine(plan.Directory, "activations");
        steps.Add(new ExperimentStep("collect activations", ExperimentStage.Collect, [games, modelDir], [activations], () => saes.All(Trained) || ActivationStore.IsStore(activations),
            () => Collect(plan.Model, plan, activations, "collect activations")));
        var slices = Math.Min(plan.SweepSlices, Math.Max(1, names.Count));
        for (var slice = 0; slice < slices; slice++)
        {
            var (first, count) = SweepSlice(names.Count, slices, slice);
            var sliceSaes = saes.GetRange(first, count);
            steps.Add(new ExperimentStep(slices == 1 ? "train SAEs" : $"train SAEs {slice + 1} of {slices}", ExperimentStage.TrainSaes, [activations], sliceSaes,
                () => sliceSaes.All(Trained), () => TrainSaes(config, activations, names.Skip(first).Take(count).ToList(), first, saesDir, plan)));
        }

        // 5. Baseline: an SAE on a randomly initialised model of the same shape.
        var randomSae = Path.Combine(saesDir, RandomModelSae);
        if (config.RandomModelSae)
        {
            bool RandomDone() => Trained(randomSae);
            var randomActivations = Path.Combine(plan.Directory, "random-model-activations");
            steps.Add(new ExperimentStep("collect random-model activations", ExperimentStage.Baselines, [games, modelDir], [randomActivations], () => RandomDone() || ActivationStore.IsStore(randomActivations), () =>
            {
                using var randomModel = plan.RandomModel();
                Collect(randomModel, plan, randomActivations, "collect random-model activations");
            }));
            steps.Add(new ExperimentStep("train random-model SAE", ExperimentStage.Baselines, [randomActivations], [randomSae], RandomDone, () =>
            {
                var standard = SaeArchitectures.Standard.Name;
                // The sweep's Standard family, trained the same way, at its smallest penalty.
                var family = config.Sweep.FirstOrDefault(s => s.Architecture == standard && !s.PAnneal);
                var penalty = family?.Penalties.Order().ElementAt(0) ?? 0.05;
                TrainSaes(config, randomActivations, [(RandomModelSae, new SaeSweepEntry(standard, false, [penalty], family?.LearningRate), penalty)], 0, saesDir, plan);
            }));
        }

        // 6. Evaluation, one record per subject; finished records are kept.
        ExperimentStep Evaluation(string name, IReadOnlyList<string> inputs, Func<EvaluationRecord> evaluate)
        {
            var record = plan.RecordPath(name);
            return new ExperimentStep($"evaluate {name}", ExperimentStage.Evaluate, inputs, [record], () => Exists(record), () => plan.Evaluate(name, evaluate));
        }
        foreach (var (name, sae) in names.Select(n => n.Name).Zip(saes))
            steps.Add(Evaluation(name, [games, modelDir, sae], () =>
            {
                using var loaded = plan.LoadSae(sae);
                return BoardStateEvaluation.EvaluateSae(plan.Model, config.Layer, loaded, name, plan.Train, plan.Test, residuals: plan.Residuals(), cancellationToken: plan.CancellationToken);
            }));
        if (config.RandomModelSae)
            steps.Add(Evaluation(RandomModelSae, [games, modelDir, randomSae], () =>
            {
                using var randomModel = plan.RandomModel();
                using var sae = plan.LoadSae(randomSae);
                return BoardStateEvaluation.EvaluateSae(randomModel, config.Layer, sae, RandomModelSae, plan.Train, plan.Test, cancellationToken: plan.CancellationToken) with { Subject = EvaluationSubjects.RandomModelSae };
            }));
        if (names.Count > 0)
        {
            var charts = Path.Combine(plan.Directory, "charts");
            var browser = Path.Combine(plan.Directory, FeatureBrowserPage.FileName);
            bool MapsDone() => Directory.Exists(charts) && Directory.GetFiles(charts, "feature-*.svg").Length > 0;
            // Drawn on 8×8 boards only, so done at once for a game without them.
            var drawn = ExperimentGames.Get(config.Game).HasBoardViews;
            steps.Add(new ExperimentStep("write feature views", ExperimentStage.Evaluate, [games, modelDir, .. saes, .. names.Select(n => plan.RecordPath(n.Name))], [charts, browser],
                () => !drawn || MapsDone() && Exists(browser),
                () => WriteFeatureViews(plan, [.. names.Select(n => plan.Record(n.Name))], MapsDone())));
        }
        if (config.MlpNeurons)
            steps.Add(Evaluation("mlp-neurons", [games, modelDir], () => BoardStateEvaluation.EvaluateMlpNeurons(plan.Model, config.Layer, plan.Train, plan.Test, cancellationToken: plan.CancellationToken)));
        if (config.LinearProbe)
            steps.Add(Evaluation("linear-probe", [games, modelDir], () => BoardStateEvaluation.EvaluateLinearProbe(plan.Model, config.Layer, plan.Train, plan.Test, residuals: plan.Residuals(), cancellationToken: plan.CancellationToken)));

        // 7. The report, written again whenever a record is newer than it.
        var records = EvaluationNames(config).Select(plan.RecordPath).ToList();
        var report = Path.Combine(plan.Directory, ExperimentReport.FileName);
        bool ReportDone() => Exists(report) && records.All(r => Exists(r) && File.GetLastWriteTimeUtc(r) <= File.GetLastWriteTimeUtc(report));
        steps.Add(new ExperimentStep("write report", ExperimentStage.Report, records, [report, Path.Combine(plan.Directory, ExperimentReport.HtmlFileName)], ReportDone, () =>
        {
            plan.Report("write report");
            ExperimentReport.Write(plan.Directory);
        }));
        // Every step records its time in the folder, whichever process runs it, for the report.
        return [.. steps.Select(s => new ExperimentStep(s.Name, s.Stage, s.Inputs, s.Outputs, s.IsDone, () => StepTiming.Time(plan.Directory, s)))];
    }

    /// <summary>The name of every SAE of the sweep, with its family and penalty: e.g. <c>gated-anneal-0.5</c>.</summary>
    public static IReadOnlyList<(string Name, SaeSweepEntry Entry, double Penalty)> SweepNames(ExperimentConfig config) =>
        [.. config.Sweep.SelectMany(entry => entry.Penalties.Select(p =>
            ($"{entry.Architecture}{(entry.PAnneal ? "-anneal" : "")}-{p.ToString(CultureInfo.InvariantCulture)}", entry, p)))];

    /// <summary>Trains the run's model on the model games (<see cref="GameModelTraining"/>), measured on the test games, with its loss curve in model/training.csv.</summary>
    private static GptModel TrainModel(ExperimentPlan plan)
    {
        var config = plan.Config;
        var job = new GameModelJob
        {
            Model = config.Model, Training = (config.ModelTraining ?? throw new InvalidDataException("The configuration gives neither model_training (how to train a model) nor model_path (a trained model to read).")) with { Seed = (long)config.Seed }, Targets = config.ModelTargets,
            Games = config.ModelGames, HeldOutFirst = plan.TestFirst, HeldOutGames = config.EvalTestGames, Device = plan.Device,
        };
        var model = GameModelTraining.NewModel(job);
        try
        {
            var history = new StringBuilder("step,loss,learning_rate\n");
            GameModelTraining.Train(model, plan.Game, job, plan.ModelDirectory, plan.ModelDirectory + "-checkpoint", new JsonObject { ["games"] = config.ModelGames },
                new InlineProgress<GptTrainingProgress>(p =>
                {
                    plan.Report("train model", p.Step + 1, p.Steps, "steps");
                    if (p.Step % 10 == 0) history.Append(CultureInfo.InvariantCulture, $"{p.Step},{p.Loss},{p.LearningRate}\n");
                }), damaged => plan.Report(damaged.ToString()), plan.CancellationToken);
            File.WriteAllText(Path.Combine(plan.ModelDirectory, "training.csv"), history.ToString());
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
    private static GptModel ImportModel(string path, ExperimentPlan plan)
    {
        plan.Report("load the model");
        var source = PretrainedModels.Resolve(path);
        var model = GptFiles.Load(source, plan.Device);
        var modelDir = plan.ModelDirectory;
        try
        {
            CheckFits(model, plan.Config, source);
            foreach (var card in new[] { PretrainedModels.CardFileName, PretrainedModels.NarrativeCardFileName }.Select(n => Path.Combine(source, n)).Where(File.Exists))
            {
                Directory.CreateDirectory(modelDir);
                File.Copy(card, Path.Combine(modelDir, Path.GetFileName(card)), overwrite: true);
            }
            MeasureAndSave(model, plan, new JsonObject { ["source"] = source });
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
    internal static void CheckFits(GptModel model, ExperimentConfig config, string source)
    {
        if (model.Config.VocabularySize != config.Model.VocabularySize)
            throw new InvalidDataException($"{source}: the model has a vocabulary of {model.Config.VocabularySize} tokens; {config.Game} needs {config.Model.VocabularySize}.");
        if (config.Layer < 0 || config.Layer >= model.Config.Layers)
            throw new InvalidDataException($"{source}: layer {config.Layer} is asked for, but the model has blocks 0..{model.Config.Layers - 1}.");
    }

    /// <summary>Measures <paramref name="model"/> on the test games and saves it in the plan's model folder with <paramref name="training"/> and the measures.</summary>
    private static void MeasureAndSave(GptModel model, ExperimentPlan plan, JsonObject training)
    {
        plan.Report("measure the model on the test games");
        var measured = plan.Game.Measure(model, plan.TestFirst, plan.Config.EvalTestGames, plan.CancellationToken);
        training["legal_move_rate"] = double.IsNaN(measured.Rate) ? null : measured.Rate;
        training["loss"] = measured.Loss;
        GptFiles.Save(model, plan.ModelDirectory, training);
    }

    /// <summary>
    /// What the features detect: board heat-maps of the most board-specific features of the SAE with the best headline
    /// reconstruction (charts/feature-*.svg, for the report), and the feature browser (features.html) of the best SAE of
    /// each family, best first. The heat-maps are skipped where they were drawn before (<paramref name="mapsDone"/>).
    /// </summary>
    private static void WriteFeatureViews(ExperimentPlan plan, IReadOnlyList<EvaluationRecord> records, bool mapsDone)
    {
        var charts = Path.Combine(plan.Directory, "charts");
        var browser = Path.Combine(plan.Directory, FeatureBrowserPage.FileName);
        var train = plan.Train;
        var chosen = records.Where(r => r.Subject == EvaluationSubjects.Sae).GroupBy(ExperimentReport.Family).Select(g => g.MaxBy(r => r.Bsps[0].ReconstructionF1)!)
            .OrderByDescending(r => r.Bsps[0].ReconstructionF1).ThenBy(r => r.Name, StringComparer.Ordinal).ToList();
        Directory.CreateDirectory(charts);
        using var labels = train.LabelTensor();
        var pages = new List<FeatureBrowserData>();
        foreach (var record in chosen)
        {
            using var sae = plan.LoadSae(Path.Combine(plan.SaesDirectory, record.Name));
            // In a scope, which keeps the chains' temporaries referenced during the native calls that read them.
            using var scope = TorchSharp.torch.NewDisposeScope();
            var features = sae.Encode(plan.Residuals().Train.to(sae.Device)).detach().cpu();
            if (!mapsDone && record == chosen[0])
                foreach (var (feature, _, map) in FeatureBoardMaps.Top(features, labels, train.Slices[0]))
                    File.WriteAllText(Path.Combine(charts, $"feature-{feature}.svg"), BoardSvg.HeatMap(map with { Title = $"{record.Name}, {map.Title}" }));
            var decoder = sae.W_dec.detach().cpu();
            pages.Add(FeatureBrowsing.Measure(record.Name, features, train, train.Slices[0], decoder));
        }
        FeatureBrowserPage.Write(browser, pages);
    }

    /// <summary>Opens the games file at <paramref name="path"/>, written by the plan's first step.</summary>
    /// <exception cref="InvalidDataException">The games file holds fewer games than the configuration needs.</exception>
    internal static IGameDataset OpenGames(string path, ExperimentPlan plan)
    {
        var total = plan.TotalGames;
        var games = ExperimentGames.Get(plan.Config.Game).Open(path, plan.Config.Bsps, plan.Config.Model.ContextLength);
        if (games.Count >= total) return games;
        games.Dispose();
        throw new InvalidDataException($"{path} holds {games.Count} games; the configuration needs {total} (model, SAE and evaluation games). Delete it or change the sizes.");
    }

    /// <summary>Collects <paramref name="model"/>'s residual stream on the SAEs' games into <paramref name="storeDir"/>.</summary>
    private static void Collect(GptModel model, ExperimentPlan plan, string storeDir, string step)
    {
        var count = plan.Config.SaeGames;
        var (tokens, width, positions) = plan.Game.Samples(plan.SaeFirst, count);
        ActivationCollector.Collect(model, plan.Config.Layer, tokens, width, positions, plan.SaeFirst, storeDir,
            progress: new InlineProgress<long>(n => plan.Report(step, n, count, "games")), cancellationToken: plan.CancellationToken);
    }

    /// <summary>
    /// Trains <paramref name="saes"/> (the sweep's SAEs from index <paramref name="first"/> on) from one stream of the store's batches, each
    /// seeded by its index in the sweep, so that it trains the same in any slice; writes each SAE and its curve (<c>saes/NAME/training.csv</c>).
    /// </summary>
    private static void TrainSaes(ExperimentConfig config, string storeDir, IReadOnlyList<(string Name, SaeSweepEntry Entry, double Penalty)> saes, int first, string saesDir,
        ExperimentPlan plan)
    {
        using var store = ActivationStore.Open(storeDir);
        var members = saes.Select((s, i) => new SaeSweepMember(SaeArchitectures.Get(s.Entry.Architecture), s.Penalty, new SaeTrainerSettings
        {
            Steps = config.SaeSteps, Warmup = config.SaeWarmup, Seed = (long)config.Seed + first + i, PAnneal = s.Entry.PAnneal, LearningRate = s.Entry.LearningRate, Device = plan.Device,
        }, Path.Combine(saesDir, s.Name))).ToList();
        var options = new TrainingOptions
        {
            BatchSize = config.SaeBatch, Steps = config.SaeSteps, Seed = config.Seed,
            CheckpointEvery = Math.Max(1, config.SaeSteps / 10), CheckpointDirectory = Path.Combine(saesDir, $"checkpoint-{saes[0].Name}"),
            OnDamagedCheckpoint = damaged => plan.Report(damaged.ToString()),
        };
        var curves = saes.Select(_ => new StringBuilder(ExperimentReport.SaeCurveHeader)).ToList();
        SaeSweepTraining.Train(store, config.Features, members, options, new InlineProgress<TrainingProgress>(p =>
        {
            plan.Report("train SAEs", p.Step + 1, p.Steps, "steps");
            if (p.Step % 10 == 0)
                for (var i = 0; i < p.Metrics.Count; i++)
                    curves[i].Append(CultureInfo.InvariantCulture, $"{p.Step},{saes[i].Name},{p.Metrics[i].Loss},{p.Metrics[i].L0}\n");
        }), (i, _) =>
        {
            // The curve before the SAE: its cfg.json marks it trained.
            Directory.CreateDirectory(members[i].Directory);
            AtomicFile.WriteAllText(Path.Combine(members[i].Directory, ExperimentReport.SaeCurveFileName), curves[i].ToString());
        }, plan.CancellationToken);
    }
}
