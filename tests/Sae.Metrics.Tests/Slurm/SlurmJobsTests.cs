using CsCheck;
using Sae.Metrics.Experiments;
using Sae.Metrics.Slurm;
using Sae.Metrics.Tests.Experiments;

namespace Sae.Metrics.Tests.Slurm;

public sealed class SlurmJobsTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "slurm-jobs-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private string Run => Path.Combine(_dir, "run");
    private string Bin => Path.Combine(_dir, "bin");

    [Fact]
    public void Each_stage_is_one_job_after_the_jobs_that_write_what_it_reads_and_the_sweep_is_an_array_of_its_slices()
    {
        var options = new SlurmOptions { Sbatch = FakeSlurm.Sbatch(Bin), SweepTasks = 3, TaskCommand = ["/opt/sae tool/sae"] };

        var submission = SlurmJobs.Submit(ExperimentTests.Micro, Run, options);

        submission.SweepSlices.Should().Be(3);
        submission.Jobs.Select(j => (j.Stage, j.JobId)).Should().Equal(
            (ExperimentStage.Prepare, "101"), (ExperimentStage.Collect, "102"), (ExperimentStage.TrainSaes, "103"),
            (ExperimentStage.Baselines, "104"), (ExperimentStage.Evaluate, "105"), (ExperimentStage.Report, "106"));
        submission.Jobs.Select(j => j.DependsOn).Should().BeEquivalentTo(new[]
        {
            Array.Empty<string>(), ["101"], ["102"], ["101"], ["101", "103", "104"], ["105"],
        }, o => o.WithStrictOrdering(), "the evaluation reads the games, the model, the sweep's SAEs and the baseline's");
        submission.Jobs.Single(j => j.Stage == ExperimentStage.TrainSaes).ArrayTasks.Should().Equal(0, 1, 2);
        submission.Jobs.Where(j => j.Stage != ExperimentStage.TrainSaes).Should().OnlyContain(j => j.ArrayTasks == null);

        var calls = FakeSlurm.Calls(Bin);
        calls[0].Should().Be($"--parsable {Path.Combine(Run, "slurm", "prepare.sbatch")}");
        calls[4].Should().Be($"--parsable --dependency=afterok:101:103:104 --kill-on-invalid-dep=yes {Path.Combine(Run, "slurm", "evaluate.sbatch")}");
        SlurmSubmission.Read(Run).Should().BeEquivalentTo(submission, "the submission is recorded for sae slurm status");
        File.Exists(Path.Combine(Run, Experiment.ConfigFileName)).Should().BeTrue("the tasks read the run's configuration");
    }

    [Fact]
    public void A_script_asks_for_the_resources_given_and_runs_the_stage_as_a_quoted_sae_command()
    {
        var options = new SlurmOptions
        {
            Partition = "gpu", Time = "04:00:00", Memory = "16G", GpusPerTask = 1, CpusPerTask = 4, Account = "lab",
            ExtraDirectives = ["--qos=high"], Device = "cuda", TaskCommand = ["dotnet", "/opt/it's/sae.dll"],
        };

        var script = SlurmJobs.Script("/runs/a", ExperimentStage.TrainSaes, 5, [1, 3], options);

        script.Split('\n').Should().Equal(
            "#!/bin/bash",
            "#SBATCH --job-name=sae-train-saes",
            "#SBATCH --output=/runs/a/slurm/logs/train-saes-%A_%a.out",
            "#SBATCH --open-mode=append",
            "#SBATCH --requeue",
            "#SBATCH --cpus-per-task=4",
            "#SBATCH --array=1,3",
            "#SBATCH --partition=gpu",
            "#SBATCH --time=04:00:00",
            "#SBATCH --mem=16G",
            "#SBATCH --gpus-per-task=1",
            "#SBATCH --account=lab",
            "#SBATCH --qos=high",
            "",
            "exec 'dotnet' '/opt/it'\\''s/sae.dll' 'slurm' 'task' '/runs/a' '--stage' 'train-saes' '--sweep-slices' '5' '--threads' '4' '--device' 'cuda'",
            "");
        SlurmJobs.Script("/runs/a", ExperimentStage.Report, 5, null, new SlurmOptions()).Should().Contain("#SBATCH --output=/runs/a/slurm/logs/report-%j.out")
            .And.NotContain("--array").And.NotContain("--partition");
    }

    [Fact]
    public void A_stage_whose_steps_are_done_is_not_submitted_and_the_jobs_after_it_do_not_wait_for_it()
    {
        var config = ExperimentTests.Micro with { Sweep = [new("topk", false, [4])], RandomModelSae = false, MlpNeurons = false, LinearProbe = false };
        using (var plan = Experiment.Plan(config, Run))
            foreach (var step in plan.Steps.Where(s => s.Stage is ExperimentStage.Prepare or ExperimentStage.Collect)) step.Run();

        var submission = SlurmJobs.Submit(config, Run, new SlurmOptions { Sbatch = FakeSlurm.Sbatch(Bin) });

        submission.Jobs.Select(j => j.Stage).Should().Equal(ExperimentStage.TrainSaes, ExperimentStage.Evaluate, ExperimentStage.Report);
        submission.Jobs[0].DependsOn.Should().BeEmpty("the activations are there");
        submission.Jobs[1].DependsOn.Should().Equal("101");
    }

    [Fact]
    public void A_refused_job_is_a_slurm_error_naming_sbatchs_words_and_the_jobs_submitted_before_it_are_recorded()
    {
        var options = new SlurmOptions { Sbatch = FakeSlurm.Sbatch(Bin, failFrom: 3) };

        var submit = () => SlurmJobs.Submit(ExperimentTests.Micro, Run, options);

        submit.Should().Throw<SlurmException>().WithMessage("*train-saes.sbatch failed (exit code 1): sbatch: error: Batch job submission failed: Invalid partition name*");
        SlurmSubmission.Read(Run)!.Jobs.Select(j => j.JobId).Should().Equal("101", "102");
        var missing = () => SlurmJobs.Submit(ExperimentTests.Micro, Run, new SlurmOptions { Sbatch = Path.Combine(Bin, "no-sbatch") });
        missing.Should().Throw<SlurmException>().WithMessage("*could not be run*is Slurm installed here?*");
        SlurmSubmission.Read(Run)!.Jobs.Select(j => j.JobId).Should().Equal(["101", "102"], "a submission refused at once leaves the earlier record alone");
    }

    [Theory]
    [InlineData("Partition", "gpu a")]
    [InlineData("Time", "")]
    [InlineData("Account", "lab\n#SBATCH --x")]
    [InlineData("Extra", "qos=high")]
    [InlineData("Cpus", "0")]
    public void An_option_that_a_batch_script_cannot_carry_is_refused_before_anything_is_submitted(string option, string value)
    {
        var options = new SlurmOptions { Sbatch = FakeSlurm.Sbatch(Bin) };
        options = option switch
        {
            "Partition" => options with { Partition = value },
            "Time" => options with { Time = value },
            "Account" => options with { Account = value },
            "Extra" => options with { ExtraDirectives = [value] },
            _ => options with { CpusPerTask = int.Parse(value) },
        };

        var submit = () => SlurmJobs.Submit(ExperimentTests.Micro, Run, options);

        submit.Should().Throw<ArgumentException>();
        File.Exists(Path.Combine(Bin, "calls")).Should().BeFalse();
    }

    [Fact]
    public void The_slices_of_a_sweep_cover_each_sae_once_in_order_and_differ_in_size_by_at_most_one()
    {
        Gen.Int[0, 200].SelectMany(count => Gen.Int[1, 50].Select(slices => (count, slices))).Sample(t =>
        {
            var parts = Enumerable.Range(0, t.slices).Select(i => Experiment.SweepSlice(t.count, t.slices, i)).ToList();
            parts.SelectMany(p => Enumerable.Range(p.First, p.Count)).Should().Equal(Enumerable.Range(0, t.count));
            (parts.Max(p => p.Count) - parts.Min(p => p.Count)).Should().BeLessThanOrEqualTo(1);
        });
    }
}
