using System.CommandLine;
using System.Text.Json;
using Sae.Core.Autoencoders;
using Sae.Core.LanguageModels;
using Sae.Metrics.Evaluation;
using Sae.Metrics.Experiments;
using Sae.Metrics.Probes;

namespace Sae.Cli.Commands;

/// <summary><c>sae eval run</c>: the whole evaluation of SAEs (and baselines) on a model's layer, one JSON record each.</summary>
internal static class EvalRunCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create()
    {
        var model = ModelOption.Create($"The model: {ModelOption.Accepts}.");
        var layer = new Option<int>("--layer") { Description = "The block (0-based) whose output the SAEs read.", Required = true };
        var sae = new Option<DirectoryInfo[]>("--sae") { Description = "SAE directories (several allowed).", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [] };
        var game = LmCommands.GameOption();
        var data = new Option<FileInfo>("--data") { Description = "Games: an .othello file, or for chess a text file of transcripts (one per line). The first --games-train games are the train split, the next --games-test the test split.", Required = true };
        var gamesTrain = new Option<int>("--games-train") { Description = "Games in the train split (statistics, coverage, feature labels).", DefaultValueFactory = _ => 1000 };
        var gamesTest = new Option<int>("--games-test") { Description = "Games in the test split (board reconstruction, unsupervised metrics).", DefaultValueFactory = _ => 1000 };
        var firstGame = new Option<long>("--first-game") { Description = "First game of the file to use (keep the splits apart from the model's training games).", DefaultValueFactory = _ => 0 };
        var bsps = new Option<string[]>("--bsp") { Description = "Board state properties (default, Othello: mine_yours_blank_masked, the paper's, and valid_moves; chess: piece_blank_initial_masked, the paper's, and the 14 strategy properties).", AllowMultipleArgumentsPerToken = true };
        var mlp = new Option<bool>("--mlp-neurons") { Description = "Also evaluate the layer's MLP neurons as features (a baseline)." };
        var probe = new Option<bool>("--linear-probe") { Description = "Also train and score a linear probe per BSP (the supervised upper baseline)." };
        var probeEpochs = new Option<int>("--probe-epochs") { Description = "Full-batch Adam steps of each linear probe.", DefaultValueFactory = _ => new LinearProbeOptions().Epochs };
        var probeLr = new Option<double>("--probe-lr") { Description = "Learning rate of the linear probes.", DefaultValueFactory = _ => new LinearProbeOptions().LearningRate };
        var csv = new Option<FileInfo?>("--csv") { Description = "Also write the records as one CSV table to this file." };
        var threads = ThreadsOption.Create();
        var device = DeviceOption.Create();
        var dtype = ProductTypeOption.Create("auto", " Applies to the language model's forward passes.");
        var output = new Option<FileInfo?>("--out") { Description = "Write the records as a JSON array to this file (each SAE's record is also saved as SAE_DIR/eval.json)." };
        var command = new Command("run", "Evaluate SAEs on a model's layer: L0, variance explained, loss recovered, coverage and board reconstruction; prints one JSON record per line.")
        {
            model, layer, sae, game, data, gamesTrain, gamesTest, firstGame, bsps, mlp, probe, probeEpochs, probeLr, csv, threads, device, dtype, output,
        };
        CommandAction.Set(command, (parseResult, cancellationToken) =>
        {
            var kind = LmCommands.Game(parseResult, game);
            ThreadsOption.Apply(parseResult, threads);
            var saes = parseResult.GetValue(sae)!;
            if (saes.Length == 0 && !parseResult.GetValue(mlp) && !parseResult.GetValue(probe))
                throw new ArgumentException("Nothing to evaluate: give --sae DIR, --mlp-neurons or --linear-probe.");
            var names = parseResult.GetValue(bsps) is { Length: > 0 } given ? given : kind.DefaultBsps;
            var on = DeviceOption.Get(parseResult, device);
            using var lm = GptFiles.Load(ModelOption.Get(parseResult, model), on);
            lm.ProductType = ProductTypeOption.Get(parseResult, dtype, on);
            var at = parseResult.GetValue(layer);
            if (at < 0 || at >= lm.Config.Layers) throw new ArgumentException($"--layer {at}: the model has blocks 0..{lm.Config.Layers - 1}.");
            var (path, first) = (parseResult.GetRequiredValue(data).FullName, parseResult.GetValue(firstGame));
            var (trainCount, testCount) = (OptionValues.AtLeastOne(parseResult, gamesTrain), OptionValues.AtLeastOne(parseResult, gamesTest));
            GamePositions train, test;
            using (var games = kind.Open(path, names, lm.Config.ContextLength))
            {
                if (first < 0 || first + trainCount + testCount > games.Count)
                    throw new ArgumentException($"{path}: {games.Count} games; the splits need games {first}..{first + trainCount + testCount - 1}.");
                (train, test) = (games.Positions(first, trainCount), games.Positions(first + trainCount, testCount));
            }
            var error = parseResult.InvocationConfiguration.Error;
            var records = new List<EvaluationRecord>();
            void Emit(EvaluationRecord record)
            {
                record = record.WithStrategyAverages();
                records.Add(record);
                parseResult.InvocationConfiguration.Output.WriteLine(JsonSerializer.Serialize(record));
            }
            using var residuals = saes.Length > 0 || parseResult.GetValue(probe) ? SplitResiduals.Read(lm, at, train, test, cancellationToken: cancellationToken) : null;
            foreach (var directory in saes)
            {
                error.WriteLine($"evaluating {directory.FullName} on {train.Rows:N0} train and {test.Rows:N0} test positions");
                using var loaded = SaeFiles.Load(directory.FullName, on);
                var record = BoardStateEvaluation.EvaluateSae(lm, at, loaded, directory.Name, train, test, residuals: residuals, cancellationToken: cancellationToken).WithStrategyAverages();
                File.WriteAllText(Path.Combine(directory.FullName, "eval.json"), JsonSerializer.Serialize(record, Indented));
                Emit(record);
            }
            if (parseResult.GetValue(mlp))
            {
                error.WriteLine("evaluating the MLP neurons");
                Emit(BoardStateEvaluation.EvaluateMlpNeurons(lm, at, train, test, cancellationToken: cancellationToken));
            }
            if (parseResult.GetValue(probe))
            {
                error.WriteLine("training and scoring linear probes");
                Emit(BoardStateEvaluation.EvaluateLinearProbe(lm, at, train, test, new LinearProbeOptions(OptionValues.AtLeastOne(parseResult, probeEpochs), LearningRate: parseResult.GetValue(probeLr)), residuals: residuals, cancellationToken: cancellationToken));
            }
            if (parseResult.GetValue(output) is { } file)
                File.WriteAllText(file.FullName, JsonSerializer.Serialize(records, Indented));
            if (parseResult.GetValue(csv) is { } table)
                File.WriteAllText(table.FullName, EvaluationTable.ToCsv(records));
            return 0;
        });
        return command;
    }
}
