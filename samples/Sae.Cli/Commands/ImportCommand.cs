using System.CommandLine;
using System.Text.Json.Nodes;
using Sae.Core.Autoencoders;

namespace Sae.Cli.Commands;

/// <summary><c>sae import …</c>: bring SAEs trained elsewhere into the SAELens layout.</summary>
internal static class ImportCommand
{
    public static Command Create() => new("import", "Convert SAEs trained by other libraries to sae_weights.safetensors + cfg.json.")
    {
        DictionaryLearning(),
    };

    private static Command DictionaryLearning()
    {
        var checkpoint = new Option<DirectoryInfo>("--checkpoint") { Description = "A dictionary_learning directory with ae.pt (and config.json).", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Where to write the SAE.", Required = true };
        var command = new Command("dictionary-learning", "Import a dictionary_learning AutoEncoder, GatedAutoEncoder or AutoEncoderTopK.") { checkpoint, output };
        CommandAction.Set(command, (parseResult, _) =>
        {
            var source = parseResult.GetRequiredValue(checkpoint).FullName;
            using var sae = DictionaryLearningCheckpoint.Load(source);
            var target = parseResult.GetRequiredValue(output).FullName;
            SaeFiles.Save(sae, target, new JsonObject { ["imported_from"] = "dictionary_learning", ["source"] = source });
            parseResult.InvocationConfiguration.Error.WriteLine($"imported a {sae.Architecture} SAE (d_in {sae.InputDimension}, d_sae {sae.FeatureCount}) to {target}");
            return 0;
        });
        return command;
    }
}
