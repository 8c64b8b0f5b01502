using System.Globalization;
using Sae.Metrics.Experiments;

namespace Sae.Metrics.Slurm;

/// <summary>
/// Runs one Slurm task of a run folder's experiment: the unfinished steps of one stage (for <see cref="ExperimentStage.TrainSaes"/>, the one
/// sweep slice the task's index names), recording its <see cref="SlurmTaskState"/> as it starts and ends. A task that is killed and run
/// again skips the steps it finished and resumes the others from their checkpoints, so a requeued task ends as if it had not been stopped.
/// </summary>
public static class SlurmTask
{
    /// <summary>
    /// Runs task <paramref name="task"/> of <paramref name="stage"/> in <paramref name="runDirectory"/>, whose <c>config.json</c> says what to run.
    /// The job id and restart count are read from Slurm's environment (<c>SLURM_ARRAY_JOB_ID</c> or <c>SLURM_JOB_ID</c>, <c>SLURM_RESTART_COUNT</c>).
    /// </summary>
    /// <param name="runDirectory">The run folder, shared by every node.</param>
    /// <param name="stage">The stage to run.</param>
    /// <param name="task">The sweep slice (for <see cref="ExperimentStage.TrainSaes"/>; 0 for the other stages).</param>
    /// <param name="sweepSlices">Into how many slices the submission cut the sweep (<see cref="SlurmSubmission.SweepSlices"/>).</param>
    /// <param name="device">Where models and SAEs run.</param>
    /// <param name="progress">Receives each step's progress.</param>
    /// <param name="cancellationToken">Stops the step at its next checkpoint (Slurm sends SIGTERM before it kills or requeues a task).</param>
    /// <returns>The names of the steps run now (those done before are skipped).</returns>
    /// <exception cref="FileNotFoundException">The folder has no configuration.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="task"/> is not one of the stage's tasks.</exception>
    public static IReadOnlyList<string> Run(string runDirectory, ExperimentStage stage, int task, int sweepSlices, TorchSharp.torch.Device device,
        IProgress<ExperimentProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        using var plan = Experiment.Plan(Experiment.ConfigOf(runDirectory), runDirectory, progress, cancellationToken, device, sweepSlices);
        var steps = StepsOf(plan, stage, task);
        var jobId = Environment.GetEnvironmentVariable("SLURM_ARRAY_JOB_ID") ?? Environment.GetEnvironmentVariable("SLURM_JOB_ID") ?? "";
        var restarts = int.TryParse(Environment.GetEnvironmentVariable("SLURM_RESTART_COUNT"), NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : 0;
        void Record(SlurmTaskPhase phase, string? message = null) => new SlurmTaskState(jobId, phase, restarts, message, DateTime.UtcNow).Write(runDirectory, stage, task);

        Record(SlurmTaskPhase.Running);
        var ran = new List<string>();
        try
        {
            foreach (var step in steps.Where(s => !s.IsDone()))
            {
                step.Run();
                ran.Add(step.Name);
            }
        }
        catch (OperationCanceledException)
        {
            Record(SlurmTaskPhase.Interrupted);
            throw;
        }
        catch (Exception e)
        {
            Record(SlurmTaskPhase.Failed, $"{e.GetType().Name}: {e.Message}");
            throw;
        }
        Record(SlurmTaskPhase.Done);
        return ran;
    }

    /// <summary>The steps task <paramref name="task"/> of <paramref name="stage"/> runs: the stage's steps, or the one sweep slice.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="task"/> is not one of the stage's tasks.</exception>
    internal static IReadOnlyList<ExperimentStep> StepsOf(ExperimentPlan plan, ExperimentStage stage, int task)
    {
        var steps = plan.Steps.Where(s => s.Stage == stage).ToList();
        if (stage != ExperimentStage.TrainSaes)
            return task == 0 ? steps : throw new ArgumentOutOfRangeException(nameof(task), task, $"The {SlurmSubmission.StageName(stage)} stage is one task, 0.");
        return task >= 0 && task < steps.Count
            ? [steps[task]]
            : throw new ArgumentOutOfRangeException(nameof(task), task, $"The sweep is cut into {steps.Count} slices: tasks 0 to {steps.Count - 1}.");
    }
}
