using System.Text.Json;
using Sae.Core.Training;
using Sae.Core.Autoencoders;
using Sae.Core.LanguageModels;
using Sae.Metrics.Evaluation;

namespace Sae.Metrics.Experiments;

/// <summary>
/// A run folder's experiment as a list of declared steps (<see cref="Steps"/>), made by <see cref="Experiment.Plan"/>,
/// and what the steps share while they run: the open games, the model, the evaluation's residuals, each opened
/// when a step first needs it and disposed with the plan.
/// </summary>
public sealed class ExperimentPlan : IDisposable
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private readonly IProgress<ExperimentProgress>? _progress;
    private IGameDataset? _game;
    private GamePositions? _train, _test;
    private GptModel? _model;
    private SplitResiduals? _residuals;
    private readonly Dictionary<string, EvaluationRecord> _records = [];

    internal ExperimentPlan(ExperimentConfig config, string directory, IProgress<ExperimentProgress>? progress, CancellationToken cancellationToken, TorchSharp.torch.Device device,
        int sweepSlices)
    {
        SweepSlices = sweepSlices;
        Config = config;
        Directory = directory;
        _progress = progress;
        CancellationToken = cancellationToken;
        Device = device;
        Steps = Experiment.Declare(this);
    }

    /// <summary>The steps, in the order a run takes them.</summary>
    public IReadOnlyList<ExperimentStep> Steps { get; }

    internal ExperimentConfig Config { get; }
    internal string Directory { get; }
    internal CancellationToken CancellationToken { get; }
    internal int SweepSlices { get; }
    internal TorchSharp.torch.Device Device { get; }

    internal string GamesPath => Path.Combine(Directory, ExperimentGames.Get(Config.Game).GamesFileName);
    internal string ModelDirectory => Path.Combine(Directory, "model");
    internal string SaesDirectory => Path.Combine(Directory, "saes");
    internal string EvalDirectory => Path.Combine(Directory, "eval");

    /// <summary>All the games: the model's, the SAEs', then the evaluation's train and test splits, in that order.</summary>
    internal long TotalGames => (long)Config.ModelGames + Config.SaeGames + Config.EvalTrainGames + Config.EvalTestGames;
    internal long SaeFirst => Config.ModelGames;
    internal long TestFirst => SaeFirst + Config.SaeGames + Config.EvalTrainGames;

    internal void Report(string step, long done = 0, long total = 0, string unit = "") => _progress?.Report(new ExperimentProgress(step, done, total, unit));

    /// <summary>The run folder's games, opened (and checked) on first use.</summary>
    internal IGameDataset Game => _game ??= Experiment.OpenGames(GamesPath, this);

    /// <summary>The evaluation's train split.</summary>
    internal GamePositions Train => _train ??= Game.Positions(SaeFirst + Config.SaeGames, Config.EvalTrainGames);

    /// <summary>The evaluation's test split.</summary>
    internal GamePositions Test => _test ??= Game.Positions(TestFirst, Config.EvalTestGames);

    /// <summary>The run folder's model, loaded on first use.</summary>
    internal GptModel Model => _model ?? Adopt(GptFiles.Load(ModelDirectory, Device));

    /// <summary>Takes <paramref name="model"/> as the run's model, once it is checked to fit the configuration.</summary>
    internal GptModel Adopt(GptModel model)
    {
        try
        {
            Experiment.CheckFits(model, Config, ModelDirectory);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        model.ProductType = ProductPrecision.Default(Device);
        _model?.Dispose();
        return _model = model;
    }

    /// <summary>The randomly initialised model of the run model's shape: the same weights whenever it is rebuilt.</summary>
    internal GptModel RandomModel()
    {
        var randomModel = new GptModel(Model.Config, (long)Config.Seed + 1) { ProductType = ProductPrecision.Default(Device) };
        randomModel.MoveTo(Device);
        return randomModel;
    }

    internal SparseAutoencoder LoadSae(string path) => SaeFiles.Load(path, Device);

    /// <summary>The evaluation's residual streams, read once, when the first unfinished evaluation needs them.</summary>
    internal SplitResiduals Residuals() => _residuals ??= SplitResiduals.Read(Model, Config.Layer, Train, Test, cancellationToken: CancellationToken);

    internal string RecordPath(string name) => Path.Combine(EvalDirectory, name + ".json");

    /// <summary>The finished evaluation record of <paramref name="name"/>.</summary>
    internal EvaluationRecord Record(string name) =>
        _records.TryGetValue(name, out var record) ? record : JsonSerializer.Deserialize<EvaluationRecord>(File.ReadAllText(RecordPath(name)))!;

    /// <summary>Evaluates and writes the record of <paramref name="name"/>.</summary>
    internal void Evaluate(string name, Func<EvaluationRecord> evaluate)
    {
        System.IO.Directory.CreateDirectory(EvalDirectory);
        Report($"evaluate {name}");
        var record = evaluate();
        File.WriteAllText(RecordPath(name), JsonSerializer.Serialize(record, Indented));
        _records[name] = record;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _residuals?.Dispose();
        _model?.Dispose();
        _game?.Dispose();
    }
}
