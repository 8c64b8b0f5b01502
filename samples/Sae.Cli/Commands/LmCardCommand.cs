using Sae.Core;
using System.CommandLine;
using System.Text.Json.Nodes;
using Sae.Core.LanguageModels;
using Sae.Games.Othello;
using Sae.Metrics.Experiments;
using Sae.Metrics.LanguageModels;

namespace Sae.Cli.Commands;

/// <summary>
/// <c>sae lm card</c>: measures a game model on the held-out games of the data set it trained on
/// and writes it as a shippable model (weights, config.json and card.json with its SHA-256).
/// </summary>
internal static class LmCardCommand
{
    public static Command Create()
    {
        var model = ModelOption.Create($"The trained model: {ModelOption.Accepts}.");
        var game = LmCommands.GameOption();
        var name = new Option<string>("--name") { Description = "The shipped name, e.g. othello-gpt-small.", Required = true };
        var data = new Option<FileInfo?>("--data") { Description = "The games file the model trained on (sae lm train --data); the held-out games are its last --held-out games. Othello may give --data-games instead, to generate them again from --data-seed." };
        var dataSeed = new Option<ulong>("--data-seed") { Description = "The seed of the games the model trained on (sae othello generate --seed, sae chess generate --seed): recorded in the card.", Required = true };
        var dataGames = new Option<long?>("--data-games") { Description = "Othello without --data: the number of games of that data set (sae othello generate --games); the held-out games are its last ones, generated again from --data-seed." };
        var dataConfig = new Option<string?>("--data-config") { Description = "The experiment settings (config.json's names) under which a run generates games like the training data, as a JSON object, e.g. '{\"chess_engine_depth\": 2, \"chess_random_opening\": 8, \"chess_random_moves\": 0.1}' for sae chess generate --engine-depth 2 --random-opening 8 --random-moves 0.1; recorded in the card, and a run on the shipped model takes them." };
        var heldOut = new Option<int>("--held-out") { Description = "Held-out games at the data set's end (sae lm train --held-out): the legal-move rate and loss are measured on all of them.", DefaultValueFactory = _ => GameModelJob.DefaultFileHeldOutGames };
        var probeGames = new Option<int>("--probe-games") { Description = "Held-out games the linear probes train on, and as many more they are scored on.", DefaultValueFactory = _ => 400 };
        var training = new Option<FileInfo?>("--training") { Description = "A JSON file recording how the model was trained (commands, steps, tokens, CPU-hours, machine, restarts), kept in the card as is." };
        var threads = ThreadsOption.Create();
        var dtype = ProductTypeOption.Create("auto");
        var output = new Option<DirectoryInfo>("--out") { Description = "The directory to write: model.safetensors, config.json and card.json.", Required = true };
        var command = new Command("card", "Measure a game model on its held-out games (loss, the legal-move rate where the game has one, a linear probe of the game's headline board state property per layer) and write it with its model card; prints card.json.")
        {
            model, game, name, data, dataSeed, dataGames, dataConfig, heldOut, probeGames, training, threads, dtype, output,
        };
        CommandAction.Set(command, (parseResult, cancellationToken) =>
        {
            ThreadsOption.Apply(parseResult, threads);
            var kind = LmCommands.Game(parseResult, game);
            var source = ModelOption.Get(parseResult, model);
            using var lm = GptFiles.Load(source);
            lm.ProductType = ProductTypeOption.Get(parseResult, dtype);
            var (seed, held, probe) = (parseResult.GetValue(dataSeed), OptionValues.AtLeastOne(parseResult, heldOut), OptionValues.AtLeastOne(parseResult, probeGames));
            if (2 * probe > held) throw new ArgumentException($"--probe-games {probe}: the probes need twice as many held-out games, and there are {held}.");
            var recorded = parseResult.GetValue(training) is { } file ? ReadObject(file) : null;
            var drawn = parseResult.GetValue(dataConfig) is { } json ? DataConfig(json, kind) : null;
            var bsp = kind.DefaultBsps[0];
            var (heldOutGames, start, first) = HeldOutGames(kind, parseResult.GetValue(data), seed, parseResult.GetValue(dataGames), held, bsp, lm.Config.ContextLength);
            using var _ = heldOutGames;
            var error = parseResult.InvocationConfiguration.Error;
            var measures = GameModelMeasurement.Measure(lm, heldOutGames, bsp, start, held, probe, new InlineProgress<string>(error.WriteLine), cancellationToken);

            var directory = parseResult.GetRequiredValue(output).FullName;
            GptFiles.Save(lm, directory);
            var card = new ModelCard
            {
                Name = parseResult.GetRequiredValue(name),
                Game = kind.Name,
                WeightsSha256 = ModelCard.Sha256Of(Path.Combine(directory, GptFiles.WeightsFileName)),
                Layer = measures.BestLayer,
                DataSeed = seed,
                HeldOutFirstGame = first,
                HeldOutGames = held,
                LegalMoveRate = double.IsFinite(measures.HeldOut.Rate) ? Math.Round(measures.HeldOut.Rate, 4) : null,
                Loss = Math.Round(measures.HeldOut.Loss, 4),
                ProbeBsp = measures.ProbeBsp,
                ProbeF1 = [.. measures.ProbeF1.Select(f => Math.Round(f, 4))],
                DataConfig = drawn,
                Training = recorded,
            };
            card.Write(Path.Combine(directory, PretrainedModels.CardFileName));
            parseResult.InvocationConfiguration.Output.WriteLine(card.ToJson());
            return 0;
        });
        return command;
    }

    /// <summary>
    /// The <paramref name="held"/> held-out games at the data set's end, labelled with <paramref name="bsp"/>: read from
    /// <paramref name="data"/>, or for Othello generated again from the data set's seed and size into a temporary file.
    /// </summary>
    /// <returns>The games, the index of the first held-out one in them, and its index in the data set.</returns>
    private static (IGameDataset Games, long Start, long First) HeldOutGames(ExperimentGame game, FileInfo? data, ulong seed, long? dataGames, int held, string bsp, int contextLength)
    {
        if (data is not null)
        {
            if (!data.Exists) throw new FileNotFoundException($"--data {data.FullName}: no such file.");
            var all = game.Open(data.FullName, [bsp], contextLength);
            if (held > all.Count)
            {
                all.Dispose();
                throw new ArgumentException($"--held-out {held}: {data.FullName} has {all.Count} games.");
            }
            return (all, all.Count - held, all.Count - held);
        }
        if (game != ExperimentGames.Othello || dataGames is not { } games)
            throw new ArgumentException($"Give --data (the games file the model trained on){(game == ExperimentGames.Othello ? ", or --data-games to generate its held-out games again" : "")}.");
        if (held > games) throw new ArgumentException($"--held-out {held}: the data set has {games} games.");
        var first = games - held;
        var path = Path.Combine(Path.GetTempPath(), $"sae-card-{Guid.NewGuid():N}.othello");
        try
        {
            using (var writer = OthelloGameFile.Create(path, seed))
            {
                for (var i = 0; i < held; i++) writer.Append(RandomOthelloGames.Game(seed, first + i));
                writer.Commit();
            }
            // Opened, the file can go: the reader keeps it until it is disposed.
            return (game.Open(path, [bsp], contextLength), 0, first);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>The --data-config object, checked to be settings of <paramref name="game"/>'s experiments.</summary>
    private static JsonObject DataConfig(string json, ExperimentGame game)
    {
        JsonObject settings;
        try
        {
            settings = JsonNode.Parse(json) as JsonObject ?? throw new ArgumentException($"--data-config {json}: not a JSON object.");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new ArgumentException($"--data-config {json}: not JSON: {e.Message}", e);
        }
        try
        {
            game.Preset("laptop").With(settings);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"--data-config: {e.Message}", e);
        }
        return settings;
    }

    private static JsonObject ReadObject(FileInfo file)
    {
        if (!file.Exists) throw new FileNotFoundException($"--training {file.FullName}: no such file.");
        try
        {
            return JsonNode.Parse(File.ReadAllText(file.FullName)) as JsonObject ?? throw new InvalidDataException($"--training {file.FullName}: not a JSON object.");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new InvalidDataException($"--training {file.FullName}: not JSON: {e.Message}", e);
        }
    }
}
