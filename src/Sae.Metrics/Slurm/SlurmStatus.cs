using System.Diagnostics;
using Sae.Metrics.Experiments;

namespace Sae.Metrics.Slurm;

/// <summary>
/// Where each step of a submitted run folder stands: done (its outputs are there), or else what its task last recorded
/// (<see cref="SlurmTaskState"/>) joined with what <c>squeue</c> says of its job.
/// </summary>
public static class SlurmStatus
{
    /// <summary>
    /// The status of every step of the run in <paramref name="runDirectory"/>, in the plan's order. Where <paramref name="squeue"/> cannot be
    /// run (on a machine outside the cluster), a step's state comes from its task's record alone.
    /// </summary>
    /// <exception cref="FileNotFoundException">The folder has no configuration.</exception>
    public static IReadOnlyList<SlurmStepStatus> Read(string runDirectory, string squeue = "squeue")
    {
        var config = Experiment.ConfigOf(runDirectory);
        var submission = SlurmSubmission.Read(runDirectory);
        using var plan = Experiment.Plan(config, runDirectory, sweepSlices: submission?.SweepSlices ?? 1);
        var queue = submission is null ? null : Queue(squeue, submission.Jobs.Select(j => j.JobId));
        var statuses = new List<SlurmStepStatus>();
        var slice = 0;
        foreach (var step in plan.Steps)
        {
            var task = step.Stage == ExperimentStage.TrainSaes ? slice++ : 0;
            var job = submission?.Jobs.LastOrDefault(j => j.Stage == step.Stage && (j.ArrayTasks is null || j.ArrayTasks.Contains(task)));
            var taskId = job?.TaskId(task);
            if (step.IsDone())
            {
                statuses.Add(new SlurmStepStatus(step.Name, step.Stage, taskId, SlurmStepState.Done, null));
                continue;
            }
            if (job is null)
            {
                statuses.Add(new SlurmStepStatus(step.Name, step.Stage, null, SlurmStepState.NotSubmitted, null));
                continue;
            }
            var recorded = SlurmTaskState.Read(runDirectory, step.Stage, task) is { } s && s.JobId == job.JobId ? s : null;
            statuses.Add(new SlurmStepStatus(step.Name, step.Stage, taskId, State(recorded, queue, taskId!, out var message), message));
        }
        return statuses;
    }

    /// <summary>A step's state from its task's record and the queue (null: unknown).</summary>
    private static SlurmStepState State(SlurmTaskState? recorded, IReadOnlyDictionary<string, string>? queue, string taskId, out string? message)
    {
        message = recorded?.Message;
        if (queue is not null && queue.TryGetValue(taskId, out var queued))
        {
            // squeue's state, and for a waiting job its reason: Dependency, Resources, BeginTime (after a requeue), …
            var (state, reason) = queued.Split(' ', 2) is [var s, var r] ? (s, r) : (queued, "");
            var running = state is "RUNNING" or "COMPLETING" or "CONFIGURING" or "STOPPED" or "SUSPENDED";
            message = running || reason is "" or "None" ? null : $"waiting: {reason}";
            return running ? SlurmStepState.Running : SlurmStepState.Pending;
        }
        switch (recorded?.Phase)
        {
            case SlurmTaskPhase.Failed:
                return SlurmStepState.Failed;
            case SlurmTaskPhase.Interrupted:
                return SlurmStepState.Interrupted;
            case SlurmTaskPhase.Running when queue is null:
                return SlurmStepState.Running;
            case SlurmTaskPhase.Running or SlurmTaskPhase.Done:
                // Out of the queue but not done: killed (time limit, memory, node failure) before it could say so.
                message = "its task ended without finishing (killed: time limit, memory or node failure?); see its log in slurm/logs";
                return SlurmStepState.Failed;
            default:
                return queue is null ? SlurmStepState.Pending : SlurmStepState.NotRun;
        }
    }

    /// <summary>The state squeue gives each task of the jobs (keys <c>ID</c> or <c>ID_TASK</c>); null when squeue cannot be run.</summary>
    private static Dictionary<string, string>? Queue(string squeue, IEnumerable<string> jobIds)
    {
        var ids = jobIds.ToList();
        if (ids.Count == 0) return [];
        var start = new ProcessStartInfo(squeue) { RedirectStandardOutput = true, RedirectStandardError = true };
        // One line per array task, no header, "ID STATE REASON"; jobs that have left the queue are not listed.
        foreach (var argument in new[] { "--noheader", "--array", "--format=%i %T %r", "--jobs=" + string.Join(',', ids) }) start.ArgumentList.Add(argument);
        try
        {
            using var process = Process.Start(start);
            if (process is null) return null;
            var error = process.StandardError.ReadToEndAsync();
            var lines = process.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            process.WaitForExit();
            // squeue exits non-zero, saying "Invalid job id specified", when every job has left the queue; any other failure leaves the queue unknown.
            if (process.ExitCode != 0) return error.Result.Contains("Invalid job id", StringComparison.OrdinalIgnoreCase) ? [] : null;
            return lines.Select(l => l.Split(' ', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
