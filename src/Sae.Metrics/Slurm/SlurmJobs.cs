using System.Diagnostics;
using System.Globalization;
using System.Text;
using Sae.Core.IO;
using Sae.Metrics.Experiments;

namespace Sae.Metrics.Slurm;

/// <summary>
/// Submits a run folder's experiment to Slurm: one job per stage that has unfinished steps (<see cref="ExperimentStage"/>: games and model,
/// collection, the sweep as an array job of one task per slice, the random-model baseline, the evaluation, the report), each starting
/// after the jobs that write what its steps read (<c>--dependency=afterok</c>, taken from the steps' declared inputs and outputs).
/// Every job runs <c>sae slurm task</c> (<see cref="SlurmTask"/>) in the shared run folder, is requeued rather than lost when pre-empted
/// (<c>--requeue</c>), and appends its output to <c>slurm/logs/</c>.
/// </summary>
public static class SlurmJobs
{
    /// <summary>
    /// Writes the run folder's configuration (as <see cref="Experiment.Plan"/> does), one batch script per stage to run into
    /// <c>slurm/</c>, submits them with <see cref="SlurmOptions.Sbatch"/>, records the jobs (<see cref="SlurmSubmission"/>) and returns them.
    /// Stages whose steps are all done are not submitted, so submitting a partly finished folder runs only what is left.
    /// </summary>
    /// <exception cref="InvalidDataException">The folder holds a run of another configuration.</exception>
    /// <exception cref="ArgumentException">An option that cannot be written into a batch script.</exception>
    /// <exception cref="SlurmException">sbatch failed or could not be run; the jobs submitted before it are recorded (if none were, an earlier submission's record stays).</exception>
    public static SlurmSubmission Submit(ExperimentConfig config, string runDirectory, SlurmOptions options)
    {
        Check(options);
        runDirectory = Path.GetFullPath(runDirectory);
        if (runDirectory.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
            throw new ArgumentException($"Run folder \"{runDirectory}\": a path with a space or line break cannot be written in an #SBATCH line; choose another.");
        var slices = options.SweepTasks ?? Math.Max(1, config.Sweep.Count);
        using var plan = Experiment.Plan(config, runDirectory, sweepSlices: slices);
        slices = plan.Steps.Count(s => s.Stage == ExperimentStage.TrainSaes);
        var folder = Path.Combine(runDirectory, SlurmSubmission.FolderName);
        Directory.CreateDirectory(Path.Combine(folder, "logs"));

        var jobs = new List<SlurmJob>();
        var writers = new Dictionary<ExperimentStage, string>();
        try
        {
            foreach (var stage in Enum.GetValues<ExperimentStage>())
            {
                var steps = plan.Steps.Where(s => s.Stage == stage).ToList();
                var tasks = Enumerable.Range(0, steps.Count).Where(i => !steps[i].IsDone()).ToList();
                if (tasks.Count == 0) continue;
                var inputs = steps.SelectMany(s => s.Inputs).ToList();
                var dependsOn = plan.Steps.Where(s => s.Stage != stage && writers.ContainsKey(s.Stage) && s.Outputs.Any(o => inputs.Any(i => Within(i, o))))
                    .Select(s => writers[s.Stage]).Distinct().ToList();
                int[]? array = stage == ExperimentStage.TrainSaes ? [.. tasks] : null;
                var script = Path.Combine(folder, SlurmSubmission.StageName(stage) + ".sbatch");
                AtomicFile.WriteAllText(script, Script(runDirectory, stage, slices, array, options));
                var id = Sbatch(options.Sbatch, script, dependsOn);
                jobs.Add(new SlurmJob(stage, id, array, dependsOn, script));
                writers[stage] = id;
            }
        }
        finally
        {
            // What was submitted, even if a later job was refused; a submission refused at once leaves an earlier record alone.
            if (jobs.Count > 0) new SlurmSubmission(slices, jobs).Write(runDirectory);
        }
        return new SlurmSubmission(slices, jobs);
    }

    /// <summary>
    /// The batch script <see cref="Submit"/> writes for <paramref name="stage"/> of the run in <paramref name="runDirectory"/>: the resources
    /// asked for, the array's tasks (<paramref name="arrayTasks"/>; null for a single job), then <c>sae slurm task</c> on the run folder.
    /// </summary>
    public static string Script(string runDirectory, ExperimentStage stage, int sweepSlices, IReadOnlyList<int>? arrayTasks, SlurmOptions options)
    {
        var name = SlurmSubmission.StageName(stage);
        var logs = Path.Combine(runDirectory, SlurmSubmission.FolderName, "logs");
        var script = new StringBuilder("#!/bin/bash\n");
        void Directive(string line) => script.Append("#SBATCH ").Append(line).Append('\n');
        Directive($"--job-name=sae-{name}");
        Directive(arrayTasks is null ? $"--output={logs}/{name}-%j.out" : $"--output={logs}/{name}-%A_%a.out");
        Directive("--open-mode=append");
        Directive("--requeue");
        Directive(Invariant($"--cpus-per-task={options.CpusPerTask}"));
        if (arrayTasks is not null) Directive("--array=" + string.Join(',', arrayTasks));
        if (options.Partition is { } partition) Directive($"--partition={partition}");
        if (options.Time is { } time) Directive($"--time={time}");
        if (options.Memory is { } memory) Directive($"--mem={memory}");
        if (options.GpusPerTask is { } gpus) Directive(Invariant($"--gpus-per-task={gpus}"));
        if (options.Account is { } account) Directive($"--account={account}");
        foreach (var extra in options.ExtraDirectives) Directive(extra);
        script.Append('\n');
        // The task's index comes from SLURM_ARRAY_TASK_ID; a requeued task starts this script again.
        IEnumerable<string> words = [.. options.TaskCommand, "slurm", "task", runDirectory, "--stage", name, "--sweep-slices", Invariant($"{sweepSlices}"),
            "--threads", Invariant($"{options.CpusPerTask}"), "--device", options.Device];
        script.Append("exec ").AppendJoin(' ', words.Select(Quote)).Append('\n');
        return script.ToString();
    }

    /// <summary>Whether <paramref name="path"/> is <paramref name="output"/> or inside it.</summary>
    private static bool Within(string path, string output) =>
        path == output || path.StartsWith(output.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>Submits <paramref name="script"/> and returns its job id.</summary>
    private static string Sbatch(string sbatch, string script, IReadOnlyList<string> dependsOn)
    {
        var start = new ProcessStartInfo(sbatch) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("--parsable");
        if (dependsOn.Count > 0)
        {
            start.ArgumentList.Add("--dependency=afterok:" + string.Join(':', dependsOn));
            // A job whose dependency failed is cancelled rather than left pending for ever.
            start.ArgumentList.Add("--kill-on-invalid-dep=yes");
        }
        start.ArgumentList.Add(script);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new SlurmException($"{sbatch} did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new SlurmException($"{sbatch} could not be run ({e.Message}); is Slurm installed here?", e);
        }
        using (process)
        {
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            // --parsable prints "ID" or "ID;CLUSTER".
            var id = output.Trim().Split(';')[0];
            if (process.ExitCode != 0 || id.Length == 0 || !id.All(char.IsAsciiDigit))
                throw new SlurmException($"{sbatch} {script} failed (exit code {process.ExitCode}): {error.Result.Trim()} {output.Trim()}".TrimEnd());
            return id;
        }
    }

    /// <exception cref="ArgumentException">An option that cannot be written into a batch script.</exception>
    private static void Check(SlurmOptions options)
    {
        if (options.CpusPerTask < 1) throw new ArgumentException($"CPUs per task {options.CpusPerTask}: give at least 1.");
        if (options.GpusPerTask is < 0) throw new ArgumentException($"GPUs per task {options.GpusPerTask}: give 0 or more.");
        if (options.SweepTasks is < 1) throw new ArgumentException($"Sweep tasks {options.SweepTasks}: give at least 1.");
        if (options.TaskCommand.Count == 0) throw new ArgumentException("The task command is empty.");
        foreach (var value in new[] { options.Partition, options.Time, options.Memory, options.Account }.Concat(options.ExtraDirectives))
            if (value is not null && (value.Length == 0 || value.Any(c => char.IsControl(c) || char.IsWhiteSpace(c))))
                throw new ArgumentException($"Slurm option \"{value}\": empty or holding a space or line break, which a #SBATCH line cannot carry.");
        foreach (var extra in options.ExtraDirectives)
            if (!extra.StartsWith('-')) throw new ArgumentException($"Extra #SBATCH line \"{extra}\": give it as an sbatch option, e.g. --qos=high.");
    }

    /// <summary>A word for bash: single-quoted, with its own single quotes escaped.</summary>
    private static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
