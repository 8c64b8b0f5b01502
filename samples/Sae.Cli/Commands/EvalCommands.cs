using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Sae.Core.Activations;
using Sae.Core.Autoencoders;
using Sae.Metrics.Unsupervised;

namespace Sae.Cli.Commands;

/// <summary><c>sae eval …</c>: measure SAEs.</summary>
internal static class EvalCommands
{
    public static Command Create() => new("eval", "Measure SAEs.")
    {
        Sae(),
        EvalRunCommand.Create(),
        EvalFeaturesCommand.Create(),
    };

    private static Command Sae()
    {
        var sae = new Option<DirectoryInfo>("--sae") { Description = "An SAE directory (sae_weights.safetensors and cfg.json).", Required = true };
        var activations = new Option<FileInfo>("--activations") { Description = "Activations: a 2-D float32 .npy file [rows, d], or an activation store directory.", Required = true };
        var device = DeviceOption.Create();
        var command = new Command("sae", "Reconstruction and sparsity of an SAE on activations; prints one JSON line: l0, fraction_of_variance_explained, mse, dead_features.")
        {
            sae, activations, device,
        };
        CommandAction.Set(command, (parseResult, cancellationToken) =>
        {
            using var model = SaeFiles.Load(parseResult.GetRequiredValue(sae).FullName, DeviceOption.Get(parseResult, device));
            using var source = ActivationSources.Open(parseResult.GetRequiredValue(activations).FullName);
            var m = ReconstructionMetrics.Measure(model, source, cancellationToken: cancellationToken);
            var json = JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["l0"] = m.L0,
                ["fraction_of_variance_explained"] = m.FractionOfVarianceExplained,
                ["mse"] = m.Mse,
                ["dead_features"] = m.DeadFeatures,
                ["alive_features"] = m.AliveFeatures,
                ["feature_density_histogram"] = m.DensityHistogram,
                ["samples"] = m.Samples,
            });
            parseResult.InvocationConfiguration.Output.WriteLine(json);
            return 0;
        });
        return command;
    }
}
