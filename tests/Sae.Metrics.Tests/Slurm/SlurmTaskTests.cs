using Sae.Core.Autoencoders;
using Sae.Metrics.Experiments;
using Sae.Metrics.Slurm;
using Sae.Metrics.Tests.Experiments;

namespace Sae.Metrics.Tests.Slurm;

public sealed class SlurmTaskTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "slurm-task-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void A_run_done_task_by_task_with_the_sweep_in_slices_equals_the_one_process_run_number_for_number()
    {
        var config = ExperimentTests.Micro with { MlpNeurons = false };
        var whole = Path.Combine(_dir, "whole");
        var sliced = Path.Combine(_dir, "sliced");
        Experiment.Run(config, whole);
        using (Experiment.Plan(config, sliced, sweepSlices: 3)) { }

        // Stages in order, the sweep's slices last to first: each task is its own process's work.
        foreach (var stage in Enum.GetValues<ExperimentStage>())
            foreach (var task in stage == ExperimentStage.TrainSaes ? [2, 1, 0] : new[] { 0 })
                SlurmTask.Run(sliced, stage, task, 3, TorchSharp.torch.CPU).Should().NotBeEmpty();

        foreach (var sae in Directory.GetDirectories(Path.Combine(whole, "saes")).Where(d => File.Exists(Path.Combine(d, SaeFiles.ConfigFileName))))
        {
            var name = Path.GetFileName(sae);
            File.ReadAllBytes(Path.Combine(sliced, "saes", name, SaeFiles.WeightsFileName)).Should().Equal(File.ReadAllBytes(Path.Combine(sae, SaeFiles.WeightsFileName)), name);
            File.ReadAllText(Path.Combine(sliced, "saes", name, "training.csv")).Should().Be(File.ReadAllText(Path.Combine(sae, "training.csv")), name);
        }
        foreach (var record in Directory.GetFiles(Path.Combine(whole, "eval")))
            File.ReadAllText(Path.Combine(sliced, "eval", Path.GetFileName(record))).Should().Be(File.ReadAllText(record), Path.GetFileName(record));
        File.ReadAllText(Path.Combine(sliced, "results.csv")).Should().Be(File.ReadAllText(Path.Combine(whole, "results.csv")));
        SlurmTaskState.Read(sliced, ExperimentStage.TrainSaes, 1)!.Phase.Should().Be(SlurmTaskPhase.Done);
        SlurmTask.Run(sliced, ExperimentStage.Evaluate, 0, 3, TorchSharp.torch.CPU).Should().BeEmpty("a task run again skips its finished steps");
    }

    [Fact]
    public void A_task_records_that_it_was_interrupted_or_failed_and_why()
    {
        var run = Path.Combine(_dir, "run");
        using (Experiment.Plan(ExperimentTests.Micro, run, sweepSlices: 2)) { }

        var cancelled = () => SlurmTask.Run(run, ExperimentStage.Prepare, 0, 2, TorchSharp.torch.CPU, cancellationToken: new CancellationToken(canceled: true));
        cancelled.Should().Throw<OperationCanceledException>();
        SlurmTaskState.Read(run, ExperimentStage.Prepare, 0)!.Phase.Should().Be(SlurmTaskPhase.Interrupted);

        var early = () => SlurmTask.Run(run, ExperimentStage.TrainSaes, 1, 2, TorchSharp.torch.CPU);
        early.Should().Throw<Exception>("there are no activations to train on yet");
        var failed = SlurmTaskState.Read(run, ExperimentStage.TrainSaes, 1)!;
        failed.Phase.Should().Be(SlurmTaskPhase.Failed);
        failed.Message.Should().Contain("activations");

        var outside = () => SlurmTask.Run(run, ExperimentStage.TrainSaes, 2, 2, TorchSharp.torch.CPU);
        outside.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*cut into 2 slices: tasks 0 to 1*");
        var noRun = () => SlurmTask.Run(Path.Combine(_dir, "none"), ExperimentStage.Prepare, 0, 1, TorchSharp.torch.CPU);
        noRun.Should().Throw<FileNotFoundException>().WithMessage("*no config.json*");
    }
}
