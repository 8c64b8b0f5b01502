using Sae.Core;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sae.Core.LanguageModels;
using Sae.Core.Training;
using Sae.Games.Chess;
using Sae.Games.Othello;
using Sae.Metrics.Experiments;
using Sae.Metrics.LanguageModels;
using static TorchSharp.torch;

namespace Sae.Cli.Commands;

/// <summary><c>sae lm …</c>: train, measure, run and read game language models.</summary>
internal static class LmCommands
{
    /// <summary>The library's training options, whose defaults <c>sae lm train</c>'s are.</summary>
    private static readonly GptTrainingOptions TrainingDefaults = new();

    public static Command Create() => new("lm", "Game language models (nanoGPT architecture): train, evaluate, logits, collect activations.")
    {
        Train(),
        Eval(),
        Logits(),
        LmCollectCommand.Create(),
        LmCardCommand.Create(),
    };

    private static Command Train()
    {
        var game = GameOption();
        var data = new Option<FileInfo>("--data") { Description = "Games to train on: an .othello file (`sae othello generate`), or for chess a text file of ChessGPT transcripts, one per line (`sae chess generate`, `sae chess pgn2gpt`).", Required = true };
        var ctx = new Option<int?>("--ctx") { Description = $"Tokens of context: chess transcripts are truncated to it (default: the game's laptop model's, {ExperimentGames.Othello.ModelTemplate.ContextLength} for Othello, {ExperimentGames.Chess.ModelTemplate.ContextLength} for chess)." };
        // The shape's defaults are the laptop experiment's model.
        var shape = ExperimentConfig.Laptop.Model;
        var layers = new Option<int>("--layers") { Description = "Transformer blocks.", DefaultValueFactory = _ => shape.Layers };
        var dModel = new Option<int>("--d-model") { Description = "Residual stream width.", DefaultValueFactory = _ => shape.ModelDimension };
        var heads = new Option<int>("--heads") { Description = "Attention heads (must divide --d-model).", DefaultValueFactory = _ => shape.Heads };
        var dMlp = new Option<int>("--d-mlp") { Description = "MLP width (default 4 x d-model)." };
        var steps = new Option<long>("--steps") { Description = "Optimiser steps (the default, with legal-move targets, reaches a legal-move rate of 0.95 in about 27 minutes on an idle 2-core CPU).", DefaultValueFactory = _ => TrainingDefaults.Steps };
        var batch = new Option<int>("--batch") { Description = "Games per step.", DefaultValueFactory = _ => TrainingDefaults.BatchSize };
        var lr = new Option<double>("--lr") { Description = "Peak learning rate (warm-up, then cosine decay to a tenth).", DefaultValueFactory = _ => TrainingDefaults.LearningRate };
        var warmup = new Option<long>("--warmup") { Description = "Warm-up steps.", DefaultValueFactory = _ => TrainingDefaults.WarmupSteps };
        var seed = new Option<long>("--seed") { Description = "Seed of the weights and batches.", DefaultValueFactory = _ => TrainingDefaults.Seed };
        var heldOut = new Option<int>("--held-out") { Description = "The file's last N games are not trained on; the legal-move rate is measured on them.", DefaultValueFactory = _ => GameModelJob.DefaultFileHeldOutGames };
        var checkpointEvery = new Option<long>("--checkpoint-every") { Description = "Checkpoint every N steps into OUT/checkpoint; a re-run resumes from it.", DefaultValueFactory = _ => TrainingDefaults.CheckpointEvery };
        var targets = new Option<string?>("--targets")
        {
            Description = $"Othello: train against the sampled next moves (`{ModelTargets.Sampled}`, plain next-token loss) or against the uniform distribution over the legal moves they were sampled from (`{ModelTargets.LegalMoves}`: the same objective in expectation, far less noise). Default: the game's laptop experiment's ({ModelTargets.LegalMoves} for Othello, {ModelTargets.Sampled} for chess).",
        }.AcceptOnlyFromAmong([.. ModelTargets.All]);
        var threads = ThreadsOption.Create();
        var device = DeviceOption.Create();
        var dtype = ProductTypeOption.Create("auto", " Layer norms, GELU, attention and the loss run in float32 either way.");
        var output = new Option<DirectoryInfo>("--out") { Description = "Output directory: model.safetensors and config.json.", Required = true };
        var command = new Command("train", "Train a game language model; prints one JSON line with the held-out loss and legal-move rate.")
        {
            game, data, ctx, layers, dModel, heads, dMlp, steps, batch, lr, warmup, seed, heldOut, checkpointEvery, targets, output, threads, device, dtype,
        };
        CommandAction.Set(command, (parseResult, cancellationToken) =>
        {
            var kind = Game(parseResult, game);
            ThreadsOption.Apply(parseResult, threads);
            var template = kind.ModelTemplate; // the game's vocabulary, context and biases
            var config = template with
            {
                Layers = parseResult.GetValue(layers),
                ModelDimension = parseResult.GetValue(dModel),
                Heads = parseResult.GetValue(heads),
                MlpDimension = parseResult.GetValue(dMlp),
                ContextLength = parseResult.GetValue(ctx) ?? template.ContextLength,
            };
            var options = new GptTrainingOptions
            {
                Steps = parseResult.GetValue(steps),
                BatchSize = parseResult.GetValue(batch),
                LearningRate = parseResult.GetValue(lr),
                WarmupSteps = parseResult.GetValue(warmup),
                Seed = parseResult.GetValue(seed),
                CheckpointEvery = parseResult.GetValue(checkpointEvery),
            };
            config.Validate();
            options.Validate();
            var path = parseResult.GetRequiredValue(data).FullName;
            using var games = kind.Open(path, [], config.ContextLength);
            var heldOutGames = (int)Math.Min(Math.Max(parseResult.GetValue(heldOut), 0), games.Count);
            var trainGames = games.Count - heldOutGames;
            if (trainGames < 1) throw new ArgumentException($"{path}: {games.Count:N0} games leave none to train on after holding out {heldOutGames:N0}.");
            var on = DeviceOption.Get(parseResult, device);
            var job = new GameModelJob
            {
                Model = config, Training = options, Targets = parseResult.GetValue(targets) ?? kind.Preset("laptop").ModelTargets,
                Games = (int)trainGames, HeldOutFirst = trainGames, HeldOutGames = heldOutGames, Device = on, ProductType = ProductTypeOption.Get(parseResult, dtype, on),
            };
            var outDir = parseResult.GetRequiredValue(output).FullName;
            var error = parseResult.InvocationConfiguration.Error;
            using var model = GameModelTraining.NewModel(job);
            error.WriteLine($"training a {config.Layers}-layer model, d_model {config.ModelDimension}, {model.ParameterCount:N0} parameters, on {trainGames:N0} games; {options.Steps:N0} steps of {options.BatchSize}{(model.ProductType == ScalarType.BFloat16 ? ", products in bfloat16" : "")}");
            var bar = new ConsoleProgressBar(error, options.Steps, "steps");
            GptTrainingProgress? last = null;
            var result = GameModelTraining.Train(model, games, job, outDir, Path.Combine(outDir, "checkpoint"),
                new JsonObject { ["game"] = kind.Name, ["data"] = Path.GetFileName(path) },
                new InlineProgress<GptTrainingProgress>(p => { last = p; bar.Report(p.Step + 1); }), damaged => error.WriteLine($"sae: warning: {damaged}"), cancellationToken);
            parseResult.InvocationConfiguration.Output.WriteLine(new JsonObject
            {
                ["train_loss"] = result.TrainLoss,
                ["loss"] = result.HeldOut?.Loss,
                ["legal_move_rate"] = Finite(result.HeldOut?.Rate),
                ["positions"] = result.HeldOut?.Positions,
                ["tokens_per_second"] = last is null ? null : Math.Round(last.TokensPerSecond),
                ["seconds"] = Math.Round(result.Seconds, 1),
            }.ToJsonString());
            return 0;
        });
        return command;
    }

    private static Command Eval()
    {
        var model = ModelOption.Create($"The model: {ModelOption.Accepts}.");
        var game = GameOption();
        var data = new Option<FileInfo>("--data") { Description = "An .othello games file, or for chess a text file of transcripts (one per line).", Required = true };
        var games = new Option<int?>("--games") { Description = "Evaluate on the file's last N games only (default: all)." };
        var threads = ThreadsOption.Create();
        var device = DeviceOption.Create();
        var dtype = ProductTypeOption.Create("auto");
        var command = new Command("eval", "Loss and (Othello) legal-move rate of a model; prints one JSON line: loss, legal_move_rate, positions.")
        {
            game, model, data, games, threads, device, dtype,
        };
        CommandAction.Set(command, (parseResult, cancellationToken) =>
        {
            ThreadsOption.Apply(parseResult, threads);
            var on = DeviceOption.Get(parseResult, device);
            using var lm = GptFiles.Load(ModelOption.Get(parseResult, model), on);
            lm.ProductType = ProductTypeOption.Get(parseResult, dtype, on);
            var kind = Game(parseResult, game);
            using var all = kind.Open(parseResult.GetRequiredValue(data).FullName, [], lm.Config.ContextLength);
            var count = (int)(parseResult.GetValue(games) is { } n ? Math.Min(Math.Max(n, 1), all.Count) : all.Count);
            var measured = all.Measure(lm, all.Count - count, count, cancellationToken);
            // A game without a legal-move rate (chess) has neither the rate nor the positions it was measured on.
            var rated = double.IsFinite(measured.Rate);
            parseResult.InvocationConfiguration.Output.WriteLine(new JsonObject
            {
                ["loss"] = measured.Loss, ["legal_move_rate"] = rated ? measured.Rate : null, ["positions"] = rated ? measured.Positions : null, ["games"] = count,
            }.ToJsonString());
            return 0;
        });
        return command;
    }

    private static Command Logits()
    {
        var model = ModelOption.Create($"The model: {ModelOption.Accepts}.");
        var tokens = new Option<string>("--tokens") { Description = "Token ids separated by spaces, e.g. \"20 19 18\".", Required = true };
        var dtype = ProductTypeOption.Create("float32");
        var heads = new Option<int?>("--heads") { Description = "Attention heads, for a bare state dict that does not say (default d_model / 64)." };
        var command = new Command("logits", "Prints one JSON line {\"logits\": [[…], …]}: a vocabulary-sized row of logits per position.")
        {
            model, tokens, dtype, heads,
        };
        CommandAction.Set(command, (parseResult, _) =>
        {
            var ids = parseResult.GetRequiredValue(tokens).Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(t => long.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : throw new FormatException($"--tokens: '{t}' is not a token id.")).ToArray();
            if (ids.Length == 0) throw new ArgumentException("--tokens: give at least one token id.");
            using var lm = GptFiles.Load(ModelOption.Get(parseResult, model), heads: parseResult.GetValue(heads));
            lm.ProductType = ProductTypeOption.Get(parseResult, dtype);
            using var noGrad = no_grad();
            using var input = tensor(ids, [1, ids.Length]);
            using var logits = lm.Logits(input);
            using var first = logits[0];
            var values = first.data<float>().ToArray();
            var v = lm.Config.VocabularySize;
            var rows = new JsonArray();
            for (var t = 0; t < ids.Length; t++)
                rows.Add(new JsonArray([.. values.Skip(t * v).Take(v).Select(x => (JsonNode?)JsonValue.Create(x))]));
            parseResult.InvocationConfiguration.Output.WriteLine(new JsonObject { ["logits"] = rows }.ToJsonString());
            return 0;
        });
        return command;
    }

    internal static Option<string> GameOption() => new("--game") { Description = $"{ExperimentGames.Names}.", DefaultValueFactory = _ => ExperimentGames.Othello.Name };

    /// <summary>The game named by <paramref name="option"/>, looked up in <see cref="ExperimentGames"/>.</summary>
    /// <exception cref="ArgumentException">No game has that name.</exception>
    internal static ExperimentGame Game(ParseResult parseResult, Option<string> option)
    {
        var name = parseResult.GetValue(option)!;
        return ExperimentGames.Find(name) ?? throw new ArgumentException($"--game {name}: use {ExperimentGames.Names}.");
    }

    private static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;
}
