using Sae.Core.LanguageModels;
using Sae.Metrics.Experiments;
using Sae.Metrics.Reports;

namespace Sae.Browser.Tests;

/// <summary>A tiny Othello run of the whole experiment (a few seconds), whose report and feature browser the tests open.</summary>
public sealed class SmokeRun : IDisposable
{
    /// <summary>The run folder.</summary>
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "browser-run-" + Guid.NewGuid().ToString("N"));

    /// <summary>Runs it and writes its report.</summary>
    public SmokeRun()
    {
        Experiment.Run(new ExperimentConfig
    {
        ModelGames = 200, SaeGames = 30, EvalTrainGames = 12, EvalTestGames = 12,
        Model = new GptConfig { Layers = 1, ModelDimension = 16, Heads = 2 },
        ModelTraining = new GptTrainingOptions { Steps = 15, BatchSize = 8, WarmupSteps = 3, CheckpointEvery = 5 },
        Layer = 0, Features = 32, SaeSteps = 20, SaeBatch = 64, SaeWarmup = 5,
        Sweep = [new("standard", false, [0.05, 0.1]), new("standard", true, [0.05]), new("topk", false, [4])],
    }, Directory);
        ExperimentReport.Write(Directory);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (System.IO.Directory.Exists(Directory)) System.IO.Directory.Delete(Directory, recursive: true);
    }
}
