using System.CommandLine;
using System.Text.Json;
using Sae.Core;
using Sae.Core.LanguageModels;
using Sae.Metrics.Experiments;
using Sae.Metrics.Reports;
using Sae.Metrics.Slurm;

namespace Sae.Cli.Commands;

/// <summary><c>sae run</c> and <c>sae report</c>: the paper's experiment end to end, and its report.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var game = new Option<string?>("--game") { Description = $"{ExperimentGames.Names} (default {ExperimentGames.Othello.Name}); with --config, the file's game." };
        var output = new Option<DirectoryInfo?>("--out") { Description = "The run folder: every step's output; a re-run skips finished steps and resumes the others (default runs/GAME)." };
        var pgn = new Option<FileInfo?>("--pgn") { Description = "Chess: train and evaluate on the games of this PGN file (real games) instead of generated ones." };
        var engineDepth = new Option<int?>("--engine-depth") { Description = "Chess: generate games with the built-in engine searching this many plies (1-4) instead of random legal moves." };
        var randomOpening = new Option<int?>("--random-opening") { Description = "Chess, with --engine-depth: the first N plies of each game are uniformly random legal moves (as sae chess generate's)." };
        var randomMoves = new Option<double?>("--random-moves") { Description = "Chess, with --engine-depth: after the opening, each ply is a uniformly random legal move with this probability (as sae chess generate's)." };
        var config = new Option<FileInfo?>("--config") { Description = "A JSON file with every size and hyperparameter (see OUT/config.json of a run for the names)." };
        var preset = new Option<string>("--preset") { Description = "laptop (default: about 15 minutes on 2 CPU cores), smoke (a few minutes, for CI) or paper (the paper's sizes, for a GPU).", DefaultValueFactory = _ => "laptop" };
        preset.AcceptOnlyFromAmong("laptop", "smoke", "paper");
        var modelPath = ModelOption.Create($"Use this trained model: {ModelOption.Accepts}; a file may be in nanoGPT's or TransformerLens's layout (e.g. the published OthelloGPT). It is copied into the run folder. Default: the game's shipped model ({ShippedModelName(ExperimentGames.Othello.Name)} for Othello, {ShippedModelName(ExperimentGames.Chess.Name)} for chess), where there is one and neither --config nor --train-model is given; a run folder that exists resumes with the model it started with. A new run with a model generates no games to train one on.", required: false);
        var trainModel = new Option<bool>("--train-model") { Description = "Train the game model from scratch at the preset's size, instead of using the shipped one." };
        var layer = new Option<int?>("--layer") { Description = "The block (0-based) whose output the SAEs read. Default: the model's card's layer (its linear probe's best on held-out games) where the model is shipped or its folder has a card.json (sae lm card writes one), else the preset's." };
        var threads = ThreadsOption.Create();
        var device = DeviceOption.Create();
        var slurm = new Option<bool>("--slurm") { Description = "Submit the run as Slurm jobs over the run folder (shared with the nodes) instead of running it here; print the job ids and exit (docs/scale.md)." };
        var slurmOptions = new SlurmOptionSet();
        var command = new Command("run", "Generate games, train a small OthelloGPT, collect activations, train a sweep of SAEs, evaluate them and the baselines, and write report.md and report.html.")
        {
            game, output, config, preset, pgn, engineDepth, randomOpening, randomMoves, modelPath, trainModel, layer, threads, device, slurm,
        };
        foreach (var option in slurmOptions.All) command.Options.Add(option);
        CommandAction.Set(command, (parseResult, cancellationToken) =>
        {
            ThreadsOption.Apply(parseResult, threads);
            var chosen = parseResult.GetValue(game);
            var settings = parseResult.GetValue(config) is { } file ? ExperimentConfig.Read(file.FullName) : ExperimentGames.Get(chosen ?? ExperimentGames.Othello.Name).Preset(parseResult.GetValue(preset)!);
            if (chosen is not null && chosen != settings.Game)
                throw new ArgumentException($"--game {chosen}: the configuration file is of {settings.Game}.");
            var dir = (parseResult.GetValue(output)?.FullName) ?? Path.GetFullPath(Path.Combine("runs", settings.Game));
            var given = parseResult.GetValue(modelPath);
            if (given is not null && parseResult.GetValue(trainModel)) throw new ArgumentException("--model and --train-model: give one or the other.");
            var chooseModel = given is null && !parseResult.GetValue(trainModel) && parseResult.GetValue(config) is null && settings.ModelPath is null;
            var existing = Path.Combine(dir, Experiment.ConfigFileName);
            if (chooseModel && File.Exists(existing))
            {
                // A run folder resumes with the model and layer it started with (one made before the shipped model was the default trained its own).
                var started = ExperimentConfig.Read(existing);
                settings = settings with { ModelPath = started.ModelPath, Model = started.Model, ModelTraining = started.ModelTraining, Layer = started.Layer, ModelGames = started.ModelGames };
                if (started.ModelPath is { } name && CardOf(name) is { } card) settings = settings.With(card.DataConfig);
            }
            else if (chooseModel && PretrainedModels.Contains(ShippedModelName(settings.Game)))
                given = ShippedModelName(settings.Game);
            if (given is not null)
            {
                var resolved = PretrainedModels.Resolve(given);
                // A shipped model is recorded by name, so that the run resumes wherever the tool is installed.
                var shipped = !File.Exists(given) && !Directory.Exists(given);
                var recorded = shipped ? given : resolved;
                var begun = File.Exists(existing) ? ExperimentConfig.Read(existing) : null;
                settings = parseResult.GetValue(config) is not null ? settings with { ModelPath = recorded }
                    // A folder resumes as it began (one begun before config.json recorded the model's own shape has the preset's).
                    : begun is not null ? settings with { ModelPath = recorded, Model = begun.Model, ModelTraining = begun.ModelTraining }
                    : settings.ReadingModel(recorded);
                // The model's card (a shipped model's, or the one sae lm card wrote into a model folder) chooses the layer and how the
                // run's games are drawn (like its training games: for chess, the engine's settings).
                if (parseResult.GetValue(config) is null && CardOf(resolved) is { } card)
                    settings = settings.With(card.DataConfig) with { Layer = card.Layer };
                // A new run with a trained model generates no games to train one on (chess engine games take minutes); a folder resumes as it began.
                if (parseResult.GetValue(config) is null)
                    settings = settings with { ModelGames = begun?.ModelGames ?? 0 };
            }
            // The game's own options, over the preset and the model's card.
            if (parseResult.GetValue(pgn) is { } pgnFile)
            {
                if (settings.Game != ExperimentGames.Chess.Name) throw new ArgumentException("--pgn applies to chess (--game chess).");
                if (!pgnFile.Exists) throw new FileNotFoundException($"--pgn {pgnFile.FullName}: no such file.");
                settings = settings with { Pgn = pgnFile.FullName };
            }
            if (parseResult.GetValue(engineDepth) is { } depth)
            {
                if (settings.Game != ExperimentGames.Chess.Name || depth is < 1 or > 4) throw new ArgumentException("--engine-depth applies to chess and must be from 1 to 4.");
                settings = settings with { ChessEngineDepth = depth };
            }
            if (parseResult.GetValue(randomOpening) is { } opening)
            {
                if (settings.ChessEngineDepth is null || opening < 0) throw new ArgumentException("--random-opening applies to chess engine games (--engine-depth) and must be at least 0.");
                settings = settings with { ChessRandomOpening = opening };
            }
            if (parseResult.GetValue(randomMoves) is { } probability)
            {
                if (settings.ChessEngineDepth is null || probability is not (>= 0 and <= 1)) throw new ArgumentException("--random-moves applies to chess engine games (--engine-depth) and must be a probability from 0 to 1.");
                settings = settings with { ChessRandomMoves = probability };
            }
            if (parseResult.GetValue(layer) is { } at) settings = settings with { Layer = at };
            // The device is the nodes': it is not opened here.
            if (parseResult.GetValue(slurm))
                return SlurmCommands.Print(parseResult, dir, SlurmJobs.Submit(settings, dir, slurmOptions.Get(parseResult, parseResult.GetValue(device)!)));
            var on = DeviceOption.Get(parseResult, device);
            var error = parseResult.InvocationConfiguration.Error;
            error.WriteLine($"run folder {dir}");
            string? step = null;
            ConsoleProgressBar? bar = null;
            var records = Experiment.Run(settings, dir, new InlineProgress<ExperimentProgress>(p =>
            {
                if (p.Step != step)
                {
                    step = p.Step;
                    error.WriteLine($"{DateTime.Now:HH:mm:ss} {p.Step}");
                    bar = p.Total > 0 ? new ConsoleProgressBar(error, p.Total, p.Unit) : null;
                }
                bar?.Report(p.Done);
            }), cancellationToken, on);
            error.WriteLine($"{DateTime.Now:HH:mm:ss} wrote {Path.Combine(dir, "report.md")} and report.html");
            parseResult.InvocationConfiguration.Output.WriteLine(JsonSerializer.Serialize(new { run = dir, records = records.Count, report = Path.Combine(dir, "report.md") }));
            return 0;
        });
        return command;
    }

    /// <summary>The model card in the folder of <paramref name="pathOrName"/> (a model folder or a shipped model's name), if it has one.</summary>
    private static ModelCard? CardOf(string pathOrName)
    {
        var folder = Directory.Exists(pathOrName) ? pathOrName : PretrainedModels.Contains(pathOrName) ? PretrainedModels.Path(pathOrName) : null;
        var file = folder is null ? null : Path.Combine(folder, PretrainedModels.CardFileName);
        return file is not null && File.Exists(file) ? ModelCard.Read(file) : null;
    }

    /// <summary>The name of the model shipped for <paramref name="game"/>: e.g. <c>othello-gpt-small</c>.</summary>
    private static string ShippedModelName(string game) => $"{game}-gpt-small";

    public static Command Report()
    {
        var run = new Argument<DirectoryInfo>("RUN_DIR") { Description = "A run folder written by sae run." };
        var command = new Command("report", "Rebuild report.md and report.html of a run folder from its evaluation records.") { run };
        CommandAction.Set(command, (parseResult, _) =>
        {
            var dir = parseResult.GetRequiredValue(run).FullName;
            if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"{dir}: no such run folder.");
            ExperimentReport.Write(dir);
            parseResult.InvocationConfiguration.Output.WriteLine(Path.Combine(dir, "report.md"));
            return 0;
        });
        return command;
    }
}
