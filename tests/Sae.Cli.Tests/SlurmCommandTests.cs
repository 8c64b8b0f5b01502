using System.Text.Json;
using Sae.Core.LanguageModels;
using Sae.Metrics.Experiments;

namespace Sae.Cli.Tests;

public sealed class SlurmCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sae-slurm-" + Guid.NewGuid().ToString("N"));

    public SlurmCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly ExperimentConfig Tiny = ExperimentConfig.Smoke with
    {
        ModelGames = 40, SaeGames = 10, EvalTrainGames = 6, EvalTestGames = 6,
        Model = new GptConfig { Layers = 1, ModelDimension = 16, Heads = 2 },
        ModelTraining = ExperimentConfig.Smoke.ModelTraining! with { Steps = 4, BatchSize = 4, WarmupSteps = 1, CheckpointEvery = 2 },
        Layer = 0, Features = 32, SaeSteps = 5, SaeBatch = 32, SaeWarmup = 1, MlpNeurons = false, LinearProbe = false,
    };

    [Fact]
    public void A_task_runs_its_stage_in_the_run_folder_and_status_then_shows_those_steps_done_and_the_rest_not_submitted()
    {
        var run = Path.Combine(_dir, "run");
        Directory.CreateDirectory(run);
        File.WriteAllText(Path.Combine(run, Experiment.ConfigFileName), JsonSerializer.Serialize(Tiny, new JsonSerializerOptions { WriteIndented = true }));

        var (code, _, error) = Sae.Run("", "slurm", "task", run, "--stage", "prepare", "--threads", "1");

        code.Should().Be(0, error);
        error.Should().Contain("prepare task 0").And.Contain("done: generate games, train model");
        var (statusCode, output, statusError) = Sae.Run("", "slurm", "status", run, "--json");
        statusCode.Should().Be(0, statusError);
        var steps = Sae.Lines(output).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        steps.Select(s => (s.GetProperty("step").GetString(), s.GetProperty("state").GetString())).Should().StartWith(
            [("generate games", "done"), ("train model", "done"), ("collect activations", "not-submitted")]);
        steps.Select(s => s.GetProperty("state").GetString()).Should().OnlyContain(state => state == "done" || state == "not-submitted", "nothing was submitted");
    }

    [Theory]
    [InlineData("slurm task RUN --stage sweep", "No stage is called sweep; the stages are prepare, collect, train-saes, baselines, evaluate, report.")]
    [InlineData("slurm submit RUN", "no config.json")]
    [InlineData("slurm status RUN", "no config.json")]
    [InlineData("slurm task RUN --stage train-saes --task 3", "no config.json")]
    public void Bad_input_is_one_error_line_and_exit_code_2(string command, string message)
    {
        var args = command.Split(' ').Select(a => a == "RUN" ? Path.Combine(_dir, "empty") : a).ToArray();
        Directory.CreateDirectory(Path.Combine(_dir, "empty"));

        var (code, _, error) = Sae.Run("", args);

        code.Should().Be(2, error);
        Sae.Lines(error)[^1].Should().StartWith("sae: error: ").And.Contain(message);
        Directory.Exists(Path.Combine(_dir, "empty", "slurm")).Should().BeFalse("nothing is written for bad input");
    }
}
