using System.CommandLine;
using System.Text.Json.Nodes;
using Sae.Core.LanguageModels;
using Sae.Games.Othello;
using Sae.Metrics.Evaluation;
using Sae.Metrics.LanguageModels;

namespace Sae.Cli.Commands;

/// <summary>
/// <c>sae lm card</c>: measures an Othello model on the held-out games of the synthetic data set it trained on
/// and writes it as a shippable model (weights, config.json and card.json with its SHA-256).
/// </summary>
internal static class LmCardCommand
{
    public static Command Create()
    {
        var model = ModelOption.Create($"The trained model: {ModelOption.Accepts}.");
        var name = new Option<string>("--name") { Description = "The shipped name, e.g. othello-gpt-small.", Required = true };
        var dataSeed = new Option<ulong>("--data-seed") { Description = "The seed of the games the model trained on (sae othello generate --seed).", Required = true };
        var dataGames = new Option<long>("--data-games") { Description = "The number of games of that data set (sae othello generate --games); the held-out games are its last ones.", Required = true };
        var heldOut = new Option<int>("--held-out") { Description = "Held-out games at the data set's end (sae lm train --held-out): the legal-move rate and loss are measured on all of them.", DefaultValueFactory = _ => 2000 };
        var probeGames = new Option<int>("--probe-games") { Description = "Held-out games the linear probes train on, and as many more they are scored on.", DefaultValueFactory = _ => 400 };
        var training = new Option<FileInfo?>("--training") { Description = "A JSON file recording how the model was trained (commands, steps, tokens, CPU-hours, machine, restarts), kept in the card as is." };
        var threads = ThreadsOption.Create();
        var dtype = ProductTypeOption.Create("auto");
        var output = new Option<DirectoryInfo>("--out") { Description = "The directory to write: model.safetensors, config.json and card.json.", Required = true };
        var command = new Command("card", "Measure an Othello model on its held-out games (legal-move rate, loss, a linear probe of mine_yours_blank_masked per layer) and write it with its model card; prints card.json.")
        {
            model, name, dataSeed, dataGames, heldOut, probeGames, training, threads, dtype, output,
        };
        CommandAction.Set(command, (parseResult, cancellationToken) =>
        {
            ThreadsOption.Apply(parseResult, threads);
            var source = ModelOption.Get(parseResult, model);
            using var lm = GptFiles.Load(source);
            lm.ProductType = ProductTypeOption.Get(parseResult, dtype);
            var (seed, games, held, probe) = (parseResult.GetValue(dataSeed), parseResult.GetValue(dataGames), OptionValues.AtLeastOne(parseResult, heldOut), OptionValues.AtLeastOne(parseResult, probeGames));
            if (held > games) throw new ArgumentException($"--held-out {held}: the data set has {games} games.");
            if (2 * probe > held) throw new ArgumentException($"--probe-games {probe}: the probes need twice as many held-out games, and there are {held}.");
            var recorded = parseResult.GetValue(training) is { } file ? ReadObject(file) : null;
            var first = games - held;
            var heldOutGames = Enumerable.Range(0, held).Select(i => RandomOthelloGames.Game(seed, first + i)).ToList();
            var error = parseResult.InvocationConfiguration.Error;

            error.WriteLine($"measuring the legal-move rate on {held:N0} held-out games");
            var measured = LegalMoveRate.Measure(lm, heldOutGames, cancellationToken: cancellationToken);
            var bsp = OthelloProperties.MineYoursBlankMasked;
            var train = GamePositions.Othello(heldOutGames[..probe], [bsp]);
            var test = GamePositions.Othello(heldOutGames[probe..(2 * probe)], [bsp]);
            var f1 = new List<double>();
            for (var layer = 0; layer < lm.Config.Layers; layer++)
            {
                error.WriteLine($"training and scoring the linear probe of {bsp.Name} at layer {layer}");
                var record = BoardStateEvaluation.EvaluateLinearProbe(lm, layer, train, test, cancellationToken: cancellationToken);
                f1.Add(Math.Round(record.Bsps[0].ReconstructionF1, 4));
                error.WriteLine($"  F1 {f1[^1]:F4}");
            }

            var directory = parseResult.GetRequiredValue(output).FullName;
            GptFiles.Save(lm, directory);
            var card = new ModelCard
            {
                Name = parseResult.GetRequiredValue(name),
                Game = "othello",
                WeightsSha256 = ModelCard.Sha256Of(Path.Combine(directory, GptFiles.WeightsFileName)),
                Layer = f1.IndexOf(f1.Max()),
                DataSeed = seed,
                HeldOutFirstGame = first,
                HeldOutGames = held,
                LegalMoveRate = Math.Round(measured.Rate, 4),
                Loss = Math.Round(measured.Loss, 4),
                ProbeBsp = bsp.Name,
                ProbeF1 = f1,
                Training = recorded,
            };
            card.Write(Path.Combine(directory, PretrainedModels.CardFileName));
            parseResult.InvocationConfiguration.Output.WriteLine(card.ToJson());
            return 0;
        });
        return command;
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
