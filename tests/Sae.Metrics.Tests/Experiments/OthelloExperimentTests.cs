using System.Xml.Linq;
using Sae.Core.Autoencoders;
using Sae.Core.LanguageModels;
using Sae.Core.Native;
using Sae.Metrics.Experiments;
using Sae.Metrics.Reports;

namespace Sae.Metrics.Tests.Experiments;

public sealed class OthelloExperimentTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "experiment-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private static readonly OthelloExperimentConfig Micro = new()
    {
        ModelGames = 200, SaeGames = 30, EvalTrainGames = 12, EvalTestGames = 12,
        Model = new GptConfig { Layers = 1, ModelDimension = 16, Heads = 2 },
        ModelTraining = new GptTrainingOptions { Steps = 15, BatchSize = 8, WarmupSteps = 3, CheckpointEvery = 5 },
        Layer = 0, Features = 32, SaeSteps = 20, SaeBatch = 64, SaeWarmup = 5,
        Sweep = [new("standard", false, [0.05, 0.1]), new("standard", true, [0.05]), new("topk", false, [4])],
    };

    [Fact]
    public void A_run_writes_every_record_and_a_report_and_a_rerun_skips_finished_steps()
    {
        // The device comes from a setting (SAE_TEST_DEVICE, else a GPU if there is one): every step must follow it.
        var device = ComputeDevice.Parse(Environment.GetEnvironmentVariable("SAE_TEST_DEVICE") ?? "auto");
        var records = OthelloExperiment.Run(Micro, _dir, device: device);
        records.Select(r => r.Name).Should().Equal("standard-0.05", "standard-0.1", "standard-anneal-0.05", "topk-4", "random-model-standard", "mlp_neurons_layer_0", "linear_probe_layer_0");
        records.Where(r => r.Subject is "sae" or "random_model_sae").Should().OnlyContain(r => r.L0 > 0 && r.LossRecovered != null);
        records.Single(r => r.Name == "topk-4").L0.Should().BeApproximately(4, 1e-9, "a TopK SAE has exactly k active features");

        foreach (var cfg in Directory.GetFiles(Path.Combine(_dir, "saes"), SaeFiles.ConfigFileName, SearchOption.AllDirectories))
            SaeFiles.ReadConfig(Path.GetDirectoryName(cfg)!).Device.Should().Be(device.type == TorchSharp.DeviceType.CUDA ? "cuda" : "cpu", "the SAEs trained on the chosen device");

        var weights = Path.Combine(_dir, "model", GptFiles.WeightsFileName);
        var written = File.GetLastWriteTimeUtc(weights);
        var again = OthelloExperiment.Run(Micro, _dir);
        again.Should().BeEquivalentTo(records, "finished evaluations are read back, not redone");
        File.GetLastWriteTimeUtc(weights).Should().Be(written, "the model is not retrained");

        var markdown = ExperimentReport.Write(_dir);
        foreach (var record in records) markdown.Should().Contain($"| {record.Name} |");
        markdown.Should().Contain("p-annealing, Standard: best coverage").And.Contain("randomly initialised model");
        Directory.GetFiles(Path.Combine(_dir, "charts"), "feature-*.svg").Should().NotBeEmpty("the best SAE's most board-specific features are drawn");
        foreach (var svg in Directory.GetFiles(Path.Combine(_dir, "charts"), "*.svg"))
            XDocument.Parse(File.ReadAllText(svg)).Root!.Name.LocalName.Should().Be("svg");
        File.ReadAllText(Path.Combine(_dir, "report.html")).Should().Contain("<table>").And.Contain("<svg");
    }

    [Fact]
    public void A_folder_of_another_configuration_is_refused()
    {
        Directory.CreateDirectory(_dir);
        File.WriteAllText(Path.Combine(_dir, OthelloExperiment.ConfigFileName), "{}");
        FluentActions.Invoking(() => OthelloExperiment.Run(Micro, _dir)).Should().Throw<InvalidDataException>().WithMessage("*another configuration*");
    }
}
