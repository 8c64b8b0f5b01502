using System.CommandLine;
using System.Text.Json.Nodes;
using Sae.Core.LanguageModels;
using Sae.Metrics.Experiments;
using Sae.Metrics.LanguageModels;

namespace Sae.Cli.Commands;

/// <summary><c>sae lm collect</c>: a layer's residual stream over games, into an activation store.</summary>
internal static class LmCollectCommand
{
    public static Command Create()
    {
        var model = ModelOption.Create($"The model: {ModelOption.Accepts}.");
        var game = LmCommands.GameOption();
        var data = new Option<FileInfo>("--data") { Description = "An .othello games file, or for chess a text file of ChessGPT transcripts (one per line; a row at every character of the first 256, the positions the reference's SAEs read).", Required = true };
        var layer = new Option<int>("--layer") { Description = "The block (0-based) after which the residual stream is read.", Required = true };
        var firstGame = new Option<long>("--first-game") { Description = "First game of the file to read (0-based).", DefaultValueFactory = _ => 0 };
        var games = new Option<long?>("--games") { Description = "Number of games (default: to the end of the file)." };
        var batch = new Option<int>("--batch") { Description = "Games per forward pass.", DefaultValueFactory = _ => ActivationCollector.DefaultBatchSize };
        var threads = ThreadsOption.Create();
        var device = DeviceOption.Create();
        var dtype = ProductTypeOption.Create("auto", " The activations are stored as float32 either way.");
        var output = new Option<DirectoryInfo>("--out") { Description = "The activation store directory to write (shards, manifest.json, positions.npy).", Required = true };
        var command = new Command("collect", "Write the residual stream after a block, at every move position of each game, as an activation store; prints one JSON line.")
        {
            game, model, data, layer, firstGame, games, batch, threads, device, dtype, output,
        };
        CommandAction.Set(command, (parseResult, cancellationToken) =>
        {
            ThreadsOption.Apply(parseResult, threads);
            var on = DeviceOption.Get(parseResult, device);
            using var lm = GptFiles.Load(ModelOption.Get(parseResult, model), on);
            lm.ProductType = ProductTypeOption.Get(parseResult, dtype, on);
            var at = parseResult.GetValue(layer);
            if (at < 0 || at >= lm.Config.Layers) throw new ArgumentException($"--layer {at}: the model has blocks 0..{lm.Config.Layers - 1}.");
            var kind = LmCommands.Game(parseResult, game);
            var path = parseResult.GetRequiredValue(data).FullName;
            var first = parseResult.GetValue(firstGame);
            var error = parseResult.InvocationConfiguration.Error;
            var outDir = parseResult.GetRequiredValue(output).FullName;
            using var all = kind.Open(path, [], lm.Config.ContextLength);
            var gameCount = (int)Count(first, parseResult.GetValue(games), all.Count);
            var (tokens, width, positions) = all.Samples(first, gameCount);
            error.WriteLine($"collecting layer {at} of a {lm.Config.Layers}-layer model over {gameCount:N0} games");
            var rows = ActivationCollector.Collect(lm, at, tokens, width, positions, first, outDir, OptionValues.AtLeastOne(parseResult, batch),
                new ConsoleProgressBar(error, gameCount, "games"), cancellationToken);
            parseResult.InvocationConfiguration.Output.WriteLine(new JsonObject
            {
                ["rows"] = rows,
                ["dimension"] = lm.Config.ModelDimension,
                ["games"] = gameCount,
                ["store"] = outDir,
            }.ToJsonString());
            return 0;
        });
        return command;
    }

    /// <summary>How many games from <paramref name="first"/> to read: <paramref name="games"/>, or to the end.</summary>
    private static long Count(long first, long? games, long total)
    {
        if (first < 0 || first >= total) throw new ArgumentException($"--first-game {first}: the file has {total} games.");
        var count = Math.Min(games ?? total - first, total - first);
        if (count < 1) throw new ArgumentException("--games: there are no games to collect.");
        return count;
    }
}
