using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Sae.Core.LanguageModels;
using Sae.Core.Training;
using Sae.Games.Chess;

namespace Sae.Metrics.Experiments;

/// <summary>
/// Every size and hyperparameter of an <see cref="Experiment"/>, saved as the run folder's
/// <c>config.json</c>. For Othello, <see cref="Laptop"/> finishes in about a quarter of an hour on two
/// CPU cores, <see cref="Smoke"/> in a few minutes (for CI), and <see cref="Paper"/> holds the paper's
/// sizes (for a GPU); <see cref="ChessLaptop"/>, <see cref="ChessSmoke"/> and <see cref="ChessPaper"/>
/// are their chess counterparts.
/// </summary>
public sealed record ExperimentConfig
{
    /// <summary>The game: <c>othello</c>, <c>chess</c> or the name of another game registered in <see cref="ExperimentGames"/>.</summary>
    [JsonPropertyName("game")] public string Game { get; init; } = "othello";

    /// <summary>Chess: play the games with the built-in engine searching this many plies (1–4) instead of uniformly random legal moves.</summary>
    [JsonPropertyName("chess_engine_depth")] public int? ChessEngineDepth { get; init; }

    /// <summary>
    /// Chess, with <see cref="ChessEngineDepth"/>: the first N plies of each game are uniformly random legal moves, so that
    /// games differ (<c>sae chess generate --random-opening</c>). Null: none.
    /// </summary>
    /// <remarks>Left out of config.json when null, so that run folders made before this setting existed still resume.</remarks>
    [JsonPropertyName("chess_random_opening"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? ChessRandomOpening { get; init; }

    /// <summary>
    /// Chess, with <see cref="ChessEngineDepth"/>: after the opening, each ply is a uniformly random legal move with this
    /// probability (<c>sae chess generate --random-moves</c>). Null: none.
    /// </summary>
    /// <remarks>Left out of config.json when null, so that run folders made before this setting existed still resume.</remarks>
    [JsonPropertyName("chess_random_moves"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? ChessRandomMoves { get; init; }

    /// <summary>Chess: read the games from this PGN file (real games) instead of generating them.</summary>
    [JsonPropertyName("pgn")] public string? Pgn { get; init; }

    /// <summary>Seed of the games, the model, the SAEs and the batches.</summary>
    [JsonPropertyName("seed")] public ulong Seed { get; init; } = 42;

    /// <summary>Games the language model trains on.</summary>
    [JsonPropertyName("model_games")] public int ModelGames { get; init; } = 60_000;

    /// <summary>Games whose activations train the SAEs (after the model's games in the file).</summary>
    [JsonPropertyName("sae_games")] public int SaeGames { get; init; } = 12_000;

    /// <summary>Games of the evaluation's train split (after those).</summary>
    [JsonPropertyName("eval_train_games")] public int EvalTrainGames { get; init; } = 400;

    /// <summary>Games of the evaluation's test split (after those).</summary>
    [JsonPropertyName("eval_test_games")] public int EvalTestGames { get; init; } = 400;

    /// <summary>
    /// The language model's shape: the model trained, or with <see cref="ModelPath"/> the model read (as
    /// <see cref="ReadingModel"/> records it). Its context length is also how long chess games are drawn.
    /// </summary>
    [JsonPropertyName("model")] public GptConfig Model { get; init; } = new() { Layers = 4, ModelDimension = 128, Heads = 4 };

    /// <summary>
    /// A trained model to use instead of training one: a directory written by <c>sae lm train</c> (or a run's
    /// <c>model/</c>), or a .pt / .safetensors file in nanoGPT's or TransformerLens's layout (such as the published
    /// OthelloGPT). It is copied into the run folder; <see cref="ModelTraining"/> and <see cref="ModelTargets"/> are then
    /// not used, and the random-model baseline takes this model's shape. Null (the default): train a model.
    /// <see cref="ReadingModel"/> sets it with the shape it reads.
    /// </summary>
    /// <remarks>Left out of config.json when null, so that run folders made before this setting existed still resume.</remarks>
    [JsonPropertyName("model_path"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? ModelPath { get; init; }

    /// <summary>How the language model trains; null for a run that reads a trained model (<see cref="ModelPath"/>).</summary>
    /// <remarks>Written as <c>null</c> when null (left out, it would read back as the laptop value).</remarks>
    [JsonPropertyName("model_training")] public GptTrainingOptions? ModelTraining { get; init; } = new() { Steps = 900, BatchSize = 64, LearningRate = 2e-3, WarmupSteps = 100, CheckpointEvery = 100 };

    /// <summary>
    /// What the language model's next-token loss is taken against: <c>legal-moves</c>, the uniform
    /// distribution over the legal moves each next move was drawn from (the same objective in
    /// expectation, learnt in far fewer steps), or <c>sampled</c>, the moves the games played (plain
    /// next-token training, as the reference's models were trained).
    /// </summary>
    [JsonPropertyName("model_targets")] public string ModelTargets { get; init; } = LanguageModels.ModelTargets.LegalMoves;

    /// <summary>The block (0-based) whose output the SAEs read.</summary>
    [JsonPropertyName("layer")] public int Layer { get; init; } = 2;

    /// <summary>SAE dictionary size.</summary>
    [JsonPropertyName("features")] public int Features { get; init; } = 1024;

    /// <summary>SAE training steps.</summary>
    [JsonPropertyName("sae_steps")] public long SaeSteps { get; init; } = 1_500;

    /// <summary>Activations per SAE step.</summary>
    [JsonPropertyName("sae_batch")] public int SaeBatch { get; init; } = 1024;

    /// <summary>SAE learning-rate warm-up steps.</summary>
    [JsonPropertyName("sae_warmup")] public long SaeWarmup { get; init; } = 100;

    /// <summary>
    /// The sweep: each entry's SAEs train together from one activation stream. The laptop sweep's penalties give L0s of
    /// about 20–80 on othello-gpt-small, the sparse end where board features emerge first, and its learning rate
    /// (3e-3, ten times the paper's) makes the most of 1,500 steps (docs/benchmarks.md, "The laptop sweep's recipe").
    /// </summary>
    [JsonPropertyName("sweep")]
    public IReadOnlyList<SaeSweepEntry> Sweep { get; init; } =
    [
        new("standard", false, [0.1, 0.14], LaptopLearningRate),
        new("standard", true, [0.06, 0.1], LaptopLearningRate),
        new("gated", false, [2, 4], LaptopLearningRate),
        new("gated", true, [1, 2], LaptopLearningRate),
        new("topk", false, [16, 32], LaptopLearningRate),
    ];

    /// <summary>The laptop sweep's learning rate: short runs learn more per step with a larger one than the paper's recipe.</summary>
    private const double LaptopLearningRate = 3e-3;

    /// <summary>Train a linear probe per BSP (the supervised upper baseline).</summary>
    [JsonPropertyName("linear_probe")] public bool LinearProbe { get; init; } = true;

    /// <summary>Evaluate the layer's MLP neurons as features.</summary>
    [JsonPropertyName("mlp_neurons")] public bool MlpNeurons { get; init; } = true;

    /// <summary>Train and evaluate a standard SAE on a randomly initialised model of the same shape.</summary>
    [JsonPropertyName("random_model_sae")] public bool RandomModelSae { get; init; } = true;

    /// <summary>The board state properties evaluated; the first is the headline one.</summary>
    [JsonPropertyName("bsps")] public IReadOnlyList<string> Bsps { get; init; } = ["mine_yours_blank_masked", "valid_moves"];

    /// <summary>
    /// This configuration reading the trained model at <paramref name="path"/> (a directory, a .pt or .safetensors file, or the
    /// name of a shipped model, which is recorded by name) instead of training one: <see cref="ModelPath"/> is the path,
    /// <see cref="Model"/> the shape read from it, and <see cref="ModelTraining"/> null, so that config.json describes the
    /// model the run reads.
    /// </summary>
    /// <exception cref="InvalidModelFileException">The model is missing, truncated or foreign.</exception>
    /// <exception cref="UnknownModelException">The path is a bare name that is not shipped.</exception>
    /// <exception cref="InvalidDataException">The model's vocabulary is not this configuration's (another game's model).</exception>
    public ExperimentConfig ReadingModel(string path)
    {
        var resolved = PretrainedModels.Resolve(path);
        GptConfig shape;
        if (Directory.Exists(resolved)) shape = GptFiles.ReadConfig(resolved);
        else
            using (var model = GptFiles.Load(resolved)) shape = model.Config;
        if (shape.VocabularySize != Model.VocabularySize)
            throw new InvalidDataException($"{path}: the model has a vocabulary of {shape.VocabularySize} tokens; {Game} needs {Model.VocabularySize}.");
        return this with { ModelPath = path, Model = shape, ModelTraining = null };
    }

    /// <summary>Sizes that finish in about a quarter of an hour on two CPU cores.</summary>
    public static ExperimentConfig Laptop => new();

    /// <summary>Sizes that finish in a few minutes: what CI runs.</summary>
    public static ExperimentConfig Smoke => new()
    {
        ModelGames = 6_000, SaeGames = 600, EvalTrainGames = 100, EvalTestGames = 100,
        Model = new GptConfig { Layers = 2, ModelDimension = 64, Heads = 2 },
        ModelTraining = new GptTrainingOptions { Steps = 150, BatchSize = 32, LearningRate = 2e-3, WarmupSteps = 20, CheckpointEvery = 50 },
        Layer = 1, Features = 256, SaeSteps = 200, SaeBatch = 512, SaeWarmup = 20,
        Sweep = [new("standard", false, [0.05]), new("standard", true, [0.05]), new("gated", false, [1.0]), new("topk", false, [16])],
    };

    /// <summary>The paper's sizes (docs/reference.md §1, §3): OthelloGPT's shape, F = 4096, 300M tokens of batch 8192 — for a GPU.</summary>
    public static ExperimentConfig Paper => new()
    {
        ModelGames = 2_000_000, SaeGames = 100_000, EvalTrainGames = 1000, EvalTestGames = 1000,
        Model = GptConfig.OthelloGpt,
        ModelTraining = new GptTrainingOptions { Steps = 100_000, BatchSize = 512, LearningRate = 5e-4, WarmupSteps = 2000, CheckpointEvery = 2000 },
        Layer = 5, Features = PaperRecipe.Features, SaeSteps = PaperRecipe.Steps, SaeBatch = PaperRecipe.BatchSize, SaeWarmup = PaperRecipe.Warmup,
        Sweep =
        [
            new("standard", false, [0.035, 0.045, 0.055, 0.065, 0.08]),
            new("standard", true, [0.025, 0.03, 0.035, 0.04, 0.05]),
            new("gated", false, [1.0, 1.25, 1.5, 1.75, 2.0]),
            new("gated", true, [0.15, 0.3, 0.5, 0.75, 1.0]),
            new("topk", false, [16, 32, 64, 128]),
        ],
    };

    /// <summary>Chess sizes that finish in about a quarter of an hour on two CPU cores: games of random legal moves, a small character-level model of context 256.</summary>
    public static ExperimentConfig ChessLaptop => new()
    {
        Game = "chess", ModelTargets = LanguageModels.ModelTargets.Sampled,
        ModelGames = 20_000, SaeGames = 2_000, EvalTrainGames = 300, EvalTestGames = 300,
        Model = new GptConfig { Layers = 4, ModelDimension = 128, Heads = 4, VocabularySize = ChessGptTranscript.Vocabulary.Length, ContextLength = ChessGptTranscript.DefaultLength, Bias = false },
        ModelTraining = new GptTrainingOptions { Steps = 500, BatchSize = 16, LearningRate = 2e-3, WarmupSteps = 50, CheckpointEvery = 100 },
        Bsps = ChessBsps,
    };

    /// <summary>Chess sizes that finish in a few minutes (for CI).</summary>
    public static ExperimentConfig ChessSmoke => Smoke with
    {
        Game = "chess", ModelTargets = LanguageModels.ModelTargets.Sampled,
        ModelGames = 1_000, SaeGames = 200, EvalTrainGames = 60, EvalTestGames = 60,
        Model = new GptConfig { Layers = 2, ModelDimension = 64, Heads = 2, VocabularySize = ChessGptTranscript.Vocabulary.Length, ContextLength = 128, Bias = false },
        ModelTraining = new GptTrainingOptions { Steps = 60, BatchSize = 16, LearningRate = 2e-3, WarmupSteps = 10, CheckpointEvery = 20 },
        Bsps = ChessBsps,
    };

    /// <summary>The paper's chess sizes (docs/reference.md §1, §3): ChessGPT's shape, F = 4096, 300M tokens of batch 8192 — for a GPU, with real games (<see cref="Pgn"/>).</summary>
    public static ExperimentConfig ChessPaper => Paper with
    {
        Game = "chess", ModelTargets = LanguageModels.ModelTargets.Sampled, ChessEngineDepth = 2,
        Model = GptConfig.ChessGpt,
        Sweep =
        [
            new("standard", false, [0.03, 0.045, 0.06, 0.08, 0.1]),
            new("standard", true, [0.02, 0.035, 0.05, 0.065, 0.08]),
            new("gated", false, [0.15, 0.35, 0.55, 0.75, 1.0]),
            new("gated", true, [0.05, 0.075, 0.1, 0.125, 0.15]),
            new("topk", false, [16, 32, 64, 128]),
        ],
        Bsps = ChessBsps,
    };

    /// <summary>The chess board state properties evaluated: the paper's headline one, then the 14 strategy properties.</summary>
    private static IReadOnlyList<string> ChessBsps => [ChessProperties.PieceBlankInitialMasked.Name, .. ChessProperties.Strategy.Select(p => p.Name)];

    /// <summary>The preset named <paramref name="name"/> (laptop, smoke or paper) of <paramref name="game"/> (a name in <see cref="ExperimentGames"/>).</summary>
    /// <exception cref="ArgumentException">An unknown game or preset name.</exception>
    public static ExperimentConfig Preset(string name, string game = "othello") => ExperimentGames.Get(game).Preset(name);

    /// <summary>
    /// This configuration with the settings of <paramref name="settings"/> (config.json's names and values, e.g. a model
    /// card's <c>data_config</c>) put over it; null leaves it as it is.
    /// </summary>
    /// <exception cref="ArgumentException">A name is not a setting of the configuration, or a value does not fit it.</exception>
    public ExperimentConfig With(JsonObject? settings)
    {
        if (settings is null) return this;
        var names = typeof(ExperimentConfig).GetProperties()
            .Select(p => p.GetCustomAttributes(typeof(JsonPropertyNameAttribute), false).OfType<JsonPropertyNameAttribute>().FirstOrDefault()?.Name)
            .OfType<string>().ToHashSet(StringComparer.Ordinal);
        var merged = JsonSerializer.SerializeToNode(this)!.AsObject();
        foreach (var (name, value) in settings)
        {
            if (!names.Contains(name)) throw new ArgumentException($"'{name}' is not an experiment setting (config.json's names: {string.Join(", ", names.Order(StringComparer.Ordinal))}).", nameof(settings));
            merged[name] = value?.DeepClone();
        }
        try
        {
            return merged.Deserialize<ExperimentConfig>()!;
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"The settings {settings.ToJsonString()} do not fit the configuration: {e.Message}", nameof(settings), e);
        }
    }

    /// <summary>Reads a configuration file (JSON, these property names; anything left out keeps the laptop value).</summary>
    /// <exception cref="InvalidDataException">The file is not a valid configuration.</exception>
    public static ExperimentConfig Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<ExperimentConfig>(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path}: empty configuration");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid experiment configuration: {e.Message}", e);
        }
    }
}
