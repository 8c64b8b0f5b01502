using System.CommandLine;
using System.Text.Json.Nodes;
using Sae.Core.LanguageModels;
using Sae.Games.Othello;
using Sae.Metrics.LanguageModels;

namespace Sae.Cli.Commands;

/// <summary><c>sae lm collect</c>: a layer's residual stream over games, into an activation store.</summary>
internal static class LmCollectCommand
{
    public static Command Create()
    {
        var model = new Option<FileSystemInfo>("--model") { Description = "A model directory, or a .pt / .safetensors file.", Required = true };
        var data = new Option<FileInfo>("--data") { Description = "An .othello games file.", Required = true };
        var layer = new Option<int>("--layer") { Description = "The block (0-based) after which the residual stream is read.", Required = true };
        var firstGame = new Option<long>("--first-game") { Description = "First game of the file to read (0-based).", DefaultValueFactory = _ => 0 };
        var games = new Option<long?>("--games") { Description = "Number of games (default: to the end of the file)." };
        var batch = new Option<int>("--batch") { Description = "Games per forward pass.", DefaultValueFactory = _ => 64 };
        var threads = ThreadsOption.Create();
        var output = new Option<DirectoryInfo>("--out") { Description = "The activation store directory to write (shards, manifest.json, positions.npy).", Required = true };
        var command = new Command("collect", "Write the residual stream after a block, at every move position of each game, as an activation store; prints one JSON line.")
        {
            model, data, layer, firstGame, games, batch, threads, output,
        };
        CommandAction.Set(command, (parseResult, cancellationToken) =>
        {
            ThreadsOption.Apply(parseResult, threads);
            using var lm = GptFiles.Load(parseResult.GetRequiredValue(model).FullName);
            var at = parseResult.GetValue(layer);
            if (at < 0 || at >= lm.Config.Layers) throw new ArgumentException($"--layer {at}: the model has blocks 0..{lm.Config.Layers - 1}.");
            using var reader = OthelloGameFile.Open(parseResult.GetRequiredValue(data).FullName);
            var first = parseResult.GetValue(firstGame);
            if (first < 0 || first > reader.GameCount) throw new ArgumentException($"--first-game {first}: the file has {reader.GameCount} games.");
            var count = Math.Min(parseResult.GetValue(games) ?? reader.GameCount - first, reader.GameCount - first);
            if (count < 1) throw new ArgumentException("--games: there are no games to collect.");
            var list = reader.ReadGames(first, count).ToList();
            var error = parseResult.InvocationConfiguration.Error;
            error.WriteLine($"collecting layer {at} of a {lm.Config.Layers}-layer model over {list.Count:N0} games");
            var bar = new ConsoleProgressBar(error, list.Count, "games");
            var outDir = parseResult.GetRequiredValue(output).FullName;
            var rows = ActivationCollector.CollectOthello(lm, at, list, first, outDir, OptionValues.AtLeastOne(parseResult, batch), bar, cancellationToken);
            parseResult.InvocationConfiguration.Output.WriteLine(new JsonObject
            {
                ["rows"] = rows,
                ["dimension"] = lm.Config.ModelDimension,
                ["games"] = list.Count,
                ["store"] = outDir,
            }.ToJsonString());
            return 0;
        });
        return command;
    }
}
