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
        var ctx = new Option<int>("--ctx") { Description = "Chess: characters of context (transcripts are truncated to it).", DefaultValueFactory = _ => ChessGptTranscript.DefaultLength };
        var layers = new Option<int>("--layers") { Description = "Transformer blocks.", DefaultValueFactory = _ => 4 };
        var dModel = new Option<int>("--d-model") { Description = "Residual stream width.", DefaultValueFactory = _ => 128 };
        var heads = new Option<int>("--heads") { Description = "Attention heads (must divide --d-model).", DefaultValueFactory = _ => 4 };
        var dMlp = new Option<int>("--d-mlp") { Description = "MLP width (default 4 x d-model)." };
        var steps = new Option<long>("--steps") { Description = "Optimiser steps (the default, with legal-move targets, reaches a legal-move rate of 0.95 in about 27 minutes on an idle 2-core CPU).", DefaultValueFactory = _ => 3500 };
        var batch = new Option<int>("--batch") { Description = "Games per step.", DefaultValueFactory = _ => 64 };
        var lr = new Option<double>("--lr") { Description = "Peak learning rate (warm-up, then cosine decay to a tenth).", DefaultValueFactory = _ => 2e-3 };
        var warmup = new Option<long>("--warmup") { Description = "Warm-up steps.", DefaultValueFactory = _ => 100 };
        var seed = new Option<long>("--seed") { Description = "Seed of the weights and batches.", DefaultValueFactory = _ => 42 };
        var heldOut = new Option<int>("--held-out") { Description = "The file's last N games are not trained on; the legal-move rate is measured on them.", DefaultValueFactory = _ => 2000 };
        var checkpointEvery = new Option<long>("--checkpoint-every") { Description = "Checkpoint every N steps into OUT/checkpoint; a re-run resumes from it.", DefaultValueFactory = _ => 500 };
        var targets = new Option<string>("--targets")
        {
            Description = "Othello: train against the sampled next moves (`sampled`, plain next-token loss) or against the uniform distribution over the legal moves they were sampled from (`legal-moves`: the same objective in expectation, far less noise).",
            DefaultValueFactory = _ => "legal-moves",
        }.AcceptOnlyFromAmong("legal-moves", "sampled");
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
            var chess = Game(parseResult, game) == ExperimentGames.Chess;
            ThreadsOption.Apply(parseResult, threads);
            var config = new GptConfig
            {
                Layers = parseResult.GetValue(layers),
                ModelDimension = parseResult.GetValue(dModel),
                Heads = parseResult.GetValue(heads),
                MlpDimension = parseResult.GetValue(dMlp),
                VocabularySize = chess ? ChessGptTranscript.Vocabulary.Length : OthelloTokenizer.VocabularySize,
                ContextLength = chess ? parseResult.GetValue(ctx) : OthelloTokenizer.ContextLength,
                Bias = !chess, // ChessGPT has no biases
            };
            config.Validate();
            var options = new GptTrainingOptions
            {
                Steps = parseResult.GetValue(steps),
                BatchSize = parseResult.GetValue(batch),
                LearningRate = parseResult.GetValue(lr),
                WarmupSteps = parseResult.GetValue(warmup),
                Seed = parseResult.GetValue(seed),
                CheckpointEvery = parseResult.GetValue(checkpointEvery),
            };
            options.Validate();
            var holdOut = parseResult.GetValue(heldOut);
            var path = parseResult.GetRequiredValue(data).FullName;
            TokenSequences trainData, testData;
            List<OthelloGame>? othelloTest = null;
            if (chess)
            {
                var (train, test) = ReadTranscripts(path, holdOut);
                (trainData, testData) = (ChessSequences.From(train, config.ContextLength), ChessSequences.From(test, config.ContextLength));
            }
            else
            {
                var (train, test) = ReadSplit(path, holdOut);
                var legalMoveTargets = parseResult.GetValue(targets) == "legal-moves";
                (trainData, testData, othelloTest) = (legalMoveTargets ? OthelloSequences.WithLegalMoveTargets(train) : OthelloSequences.From(train), OthelloSequences.From(test), test);
            }
            var outDir = parseResult.GetRequiredValue(output).FullName;
            var error = parseResult.InvocationConfiguration.Error;
            var on = DeviceOption.Get(parseResult, device);
            using var model = new GptModel(config, options.Seed) { ProductType = ProductTypeOption.Get(parseResult, dtype, on) };
            model.MoveTo(on);
            error.WriteLine($"training a {config.Layers}-layer model, d_model {config.ModelDimension}, {model.ParameterCount:N0} parameters, on {trainData.Count:N0} games; {options.Steps:N0} steps of {options.BatchSize}{(model.ProductType == ScalarType.BFloat16 ? ", products in bfloat16" : "")}");
            var bar = new ConsoleProgressBar(error, options.Steps, "steps");
            GptTrainingProgress? last = null;
            var started = DateTime.UtcNow;
            var finalLoss = GptTraining.Train(model, trainData, options, Path.Combine(outDir, "checkpoint"),
                new InlineProgress<GptTrainingProgress>(p => { last = p; bar.Report(p.Step + 1); }), cancellationToken,
                damaged => error.WriteLine($"sae: warning: {damaged}"));
            var seconds = (DateTime.UtcNow - started).TotalSeconds;
            var measured = othelloTest is { Count: > 0 } ? LegalMoveRate.Measure(model, othelloTest, cancellationToken: cancellationToken)
                : testData.Count > 0 ? new LegalMoveRateResult(double.NaN, 0, SequenceLoss.Measure(model, testData, cancellationToken: cancellationToken)) : null;
            var training = new JsonObject
            {
                ["game"] = parseResult.GetValue(game),
                ["data"] = Path.GetFileName(path),
                ["train_games"] = trainData.Count,
                ["held_out_games"] = testData.Count,
                ["options"] = JsonSerializer.SerializeToNode(options),
                ["targets"] = trainData.HasTargetChoices ? "legal-moves" : "sampled",
                ["product_dtype"] = ProductPrecision.Name(model.ProductType),
                ["train_loss"] = finalLoss,
                ["held_out_loss"] = measured?.Loss,
                ["legal_move_rate"] = Finite(measured?.Rate),
                ["seconds"] = Math.Round(seconds, 1),
            };
            GptFiles.Save(model, outDir, training);
            parseResult.InvocationConfiguration.Output.WriteLine(new JsonObject
            {
                ["train_loss"] = finalLoss,
                ["loss"] = measured?.Loss,
                ["legal_move_rate"] = Finite(measured?.Rate),
                ["positions"] = measured?.Positions,
                ["tokens_per_second"] = last is null ? null : Math.Round(last.TokensPerSecond),
                ["seconds"] = Math.Round(seconds, 1),
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
            if (Game(parseResult, game) == ExperimentGames.Chess)
            {
                var all = ReadTranscripts(parseResult.GetRequiredValue(data).FullName, 0).Train;
                var last = all[^Math.Min(Math.Max(parseResult.GetValue(games) ?? all.Count, 1), all.Count)..];
                var loss = SequenceLoss.Measure(lm, ChessSequences.From(last, Math.Min(lm.Config.ContextLength, ChessGptTranscript.DefaultLength)), cancellationToken: cancellationToken);
                parseResult.InvocationConfiguration.Output.WriteLine(new JsonObject { ["loss"] = loss, ["legal_move_rate"] = null, ["games"] = last.Count }.ToJsonString());
                return 0;
            }
            using var reader = OthelloGameFile.Open(parseResult.GetRequiredValue(data).FullName);
            var count = parseResult.GetValue(games) is { } n ? Math.Min(Math.Max(n, 0), reader.GameCount) : reader.GameCount;
            var list = reader.ReadGames(reader.GameCount - count, count).ToList();
            var measured = LegalMoveRate.Measure(lm, list, cancellationToken: cancellationToken);
            parseResult.InvocationConfiguration.Output.WriteLine(new JsonObject
            {
                ["loss"] = measured.Loss,
                ["legal_move_rate"] = measured.Rate,
                ["positions"] = measured.Positions,
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
            var values = logits[0].data<float>().ToArray();
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

    /// <summary>The transcripts of a text file (one per line; empty lines skipped): all but the last <paramref name="heldOut"/>, and those.</summary>
    internal static (List<string> Train, List<string> Test) ReadTranscripts(string path, int heldOut)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file.");
        var all = File.ReadLines(path).Where(l => l.Length > 0).ToList();
        var test = Math.Min(Math.Max(heldOut, 0), all.Count);
        if (all.Count - test < 1) throw new ArgumentException($"{path}: {all.Count} transcripts leave none to train on after holding out {test}.");
        return (all[..^test], all[^test..]);
    }

    /// <summary>All but the last <paramref name="heldOut"/> games for training, and those for testing.</summary>
    private static (List<OthelloGame> Train, List<OthelloGame> Test) ReadSplit(string path, int heldOut)
    {
        using var reader = OthelloGameFile.Open(path);
        var test = (int)Math.Min(Math.Max(heldOut, 0), reader.GameCount);
        if (reader.GameCount - test < 1) throw new ArgumentException($"{path}: {reader.GameCount} games leave none to train on after holding out {test}.");
        var train = reader.ReadGames(0, reader.GameCount - test).ToList();
        return (train, reader.ReadGames(reader.GameCount - test, test).ToList());
    }
}
