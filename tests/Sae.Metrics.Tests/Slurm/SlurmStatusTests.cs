using Sae.Metrics.Experiments;
using Sae.Metrics.Slurm;
using Sae.Metrics.Tests.Experiments;

namespace Sae.Metrics.Tests.Slurm;

public sealed class SlurmStatusTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "slurm-status-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private string Run => Path.Combine(_dir, "run");
    private string Bin => Path.Combine(_dir, "bin");

    /// <summary>A submitted run (config, jobs.json; nothing done) whose tasks said what <paramref name="states"/> says.</summary>
    private void Submitted(params (ExperimentStage Stage, int Task, SlurmTaskPhase Phase, string Job)[] states)
    {
        var config = ExperimentTests.Micro with { MlpNeurons = false, LinearProbe = false };
        using (Experiment.Plan(config, Run, sweepSlices: 3)) { }
        SlurmJob Job(ExperimentStage stage, string id) => new(stage, id, stage == ExperimentStage.TrainSaes ? [0, 1, 2] : null, [], "");
        new SlurmSubmission(3, [Job(ExperimentStage.Prepare, "1"), Job(ExperimentStage.Collect, "2"), Job(ExperimentStage.TrainSaes, "3"),
            Job(ExperimentStage.Baselines, "4"), Job(ExperimentStage.Evaluate, "5")]).Write(Run);
        foreach (var (stage, task, phase, job) in states)
            new SlurmTaskState(job, phase, 0, phase == SlurmTaskPhase.Failed ? "IOException: disk full" : null, DateTime.UtcNow).Write(Run, stage, task);
    }

    [Fact]
    public void Each_step_is_done_running_pending_failed_interrupted_or_not_run_from_its_tasks_record_and_the_queue()
    {
        Submitted((ExperimentStage.Prepare, 0, SlurmTaskPhase.Running, "1"), (ExperimentStage.TrainSaes, 1, SlurmTaskPhase.Failed, "3"),
            (ExperimentStage.TrainSaes, 2, SlurmTaskPhase.Running, "3"), (ExperimentStage.Evaluate, 0, SlurmTaskPhase.Interrupted, "5"),
            (ExperimentStage.Baselines, 0, SlurmTaskPhase.Failed, "99"));
        var squeue = FakeSlurm.Squeue(Bin, ["1 RUNNING None", "2 PENDING Dependency", "3_0 PENDING BeginTime"]);

        var statuses = SlurmStatus.Read(Run, squeue).ToDictionary(s => s.Step);

        statuses["generate games"].Should().Be(new SlurmStepStatus("generate games", ExperimentStage.Prepare, "1", SlurmStepState.Running, null));
        statuses["collect activations"].Should().Be(new SlurmStepStatus("collect activations", ExperimentStage.Collect, "2", SlurmStepState.Pending, "waiting: Dependency"));
        statuses["train SAEs 1 of 3"].State.Should().Be(SlurmStepState.Pending, "a requeued task waits in the queue");
        statuses["train SAEs 2 of 3"].Should().Be(new SlurmStepStatus("train SAEs 2 of 3", ExperimentStage.TrainSaes, "3_1", SlurmStepState.Failed, "IOException: disk full"));
        statuses["train SAEs 3 of 3"].State.Should().Be(SlurmStepState.Failed, "it said it was running and has left the queue: killed");
        statuses["train SAEs 3 of 3"].Message.Should().Contain("ended without finishing");
        statuses["train random-model SAE"].State.Should().Be(SlurmStepState.NotRun, "a record of an earlier submission's job (99) is not this job's");
        statuses["evaluate topk-4"].State.Should().Be(SlurmStepState.Interrupted);
        statuses["write report"].Should().Be(new SlurmStepStatus("write report", ExperimentStage.Report, null, SlurmStepState.NotSubmitted, null));
    }

    [Fact]
    public void Without_squeue_a_state_comes_from_the_tasks_record_and_an_empty_queue_is_read_as_empty()
    {
        Submitted((ExperimentStage.Prepare, 0, SlurmTaskPhase.Running, "1"));

        var offline = SlurmStatus.Read(Run, Path.Combine(Bin, "no-squeue")).ToDictionary(s => s.Step, s => s.State);
        offline["generate games"].Should().Be(SlurmStepState.Running);
        offline["collect activations"].Should().Be(SlurmStepState.Pending);

        var gone = FakeSlurm.Squeue(Bin, [], error: "slurm_load_jobs error: Invalid job id specified");
        var ended = SlurmStatus.Read(Run, gone).ToDictionary(s => s.Step, s => s.State);
        ended["generate games"].Should().Be(SlurmStepState.Failed);
        ended["collect activations"].Should().Be(SlurmStepState.NotRun);

        var down = FakeSlurm.Squeue(Path.Combine(_dir, "down"), [], error: "slurm_load_jobs error: Unable to contact slurm controller");
        SlurmStatus.Read(Run, down).Single(s => s.Step == "generate games").State.Should().Be(SlurmStepState.Running, "an unreachable controller leaves the queue unknown");
    }
}
