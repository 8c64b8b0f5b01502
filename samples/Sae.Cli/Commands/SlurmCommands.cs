using System.CommandLine;
using System.Text.Json;
using Sae.Core;
using Sae.Metrics.Experiments;
using Sae.Metrics.Slurm;

namespace Sae.Cli.Commands;

/// <summary><c>sae slurm …</c>: the experiment as Slurm jobs over a shared run folder (docs/scale.md).</summary>
internal static class SlurmCommands
{
    public static Command Create() => new("slurm", "Run the experiment as Slurm jobs over a shared run folder: submit, status, and the task each job runs.")
    {
        Submit(),
        Status(),
        Task(),
    };

    private static Command Submit()
    {
        var run = RunFolder("A run folder holding config.json (written by sae run, or by hand).");
        var slurm = new SlurmOptionSet();
        var device = DeviceOption.Create();
        var command = new Command("submit", "Submit the unfinished steps of a run folder as Slurm jobs (one per stage, the sweep as an array), print the job ids and exit.") { run };
        foreach (var option in slurm.All.Append(device)) command.Options.Add(option);
        CommandAction.Set(command, (parseResult, _) =>
        {
            var dir = parseResult.GetRequiredValue(run).FullName;
            return Print(parseResult, dir, SlurmJobs.Submit(Experiment.ConfigOf(dir), dir, slurm.Get(parseResult, parseResult.GetValue(device)!)));
        });
        return command;
    }

    /// <summary>Prints what was submitted: the run folder and each job's stage, id, array tasks and dependencies, as JSON.</summary>
    public static int Print(ParseResult parseResult, string dir, SlurmSubmission submission)
    {
        var error = parseResult.InvocationConfiguration.Error;
        foreach (var job in submission.Jobs)
            error.WriteLine($"submitted {SlurmSubmission.StageName(job.Stage)}: job {job.JobId}" +
                            (job.ArrayTasks is { } tasks ? $", array tasks {string.Join(',', tasks)}" : "") +
                            (job.DependsOn.Count > 0 ? $", after {string.Join(", ", job.DependsOn)}" : ""));
        if (submission.Jobs.Count == 0) error.WriteLine("nothing to submit: every step is done");
        parseResult.InvocationConfiguration.Output.WriteLine(JsonSerializer.Serialize(new
        {
            run = dir,
            jobs = submission.Jobs.Select(j => new { stage = SlurmSubmission.StageName(j.Stage), job_id = j.JobId, array_tasks = j.ArrayTasks, depends_on = j.DependsOn }),
        }));
        return 0;
    }

    private static Command Status()
    {
        var run = RunFolder("A run folder submitted with sae run --slurm or sae slurm submit.");
        var json = new Option<bool>("--json") { Description = "Print one JSON object per step instead of a table." };
        var command = new Command("status", "Say which steps of a Slurm run are done, running, pending, interrupted or failed (from the run folder and squeue).") { run, json };
        CommandAction.Set(command, (parseResult, _) =>
        {
            var dir = parseResult.GetRequiredValue(run).FullName;
            var statuses = SlurmStatus.Read(dir);
            var output = parseResult.InvocationConfiguration.Output;
            if (parseResult.GetValue(json))
            {
                foreach (var s in statuses)
                    output.WriteLine(JsonSerializer.Serialize(new { step = s.Step, stage = SlurmSubmission.StageName(s.Stage), task = s.TaskId, state = Name(s.State), message = s.Message }));
            }
            else
            {
                var width = statuses.Max(s => s.Step.Length);
                foreach (var s in statuses)
                    output.WriteLine($"{s.Step.PadRight(width)}  {SlurmSubmission.StageName(s.Stage),-10}  {s.TaskId ?? "-",-10}  {Name(s.State)}{(s.Message is null ? "" : $" ({s.Message})")}");
            }
            // Non-zero when a step failed, so that scripts can wait on it.
            return statuses.Any(s => s.State is SlurmStepState.Failed or SlurmStepState.NotRun) ? 1 : 0;
        });
        return command;
    }

    private static Command Task()
    {
        var run = RunFolder("The shared run folder.");
        var stage = new Option<string>("--stage") { Description = "The stage to run: " + string.Join(", ", Enum.GetValues<ExperimentStage>().Select(SlurmSubmission.StageName)) + ".", Required = true };
        var task = new Option<int?>("--task") { Description = "The sweep slice to train (train-saes; default SLURM_ARRAY_TASK_ID, else 0)." };
        var slices = new Option<int>("--sweep-slices") { Description = "Into how many slices the submission cut the sweep.", DefaultValueFactory = _ => 1 };
        var threads = ThreadsOption.Create();
        var device = DeviceOption.Create();
        var command = new Command("task", "Run one task of a submitted run: the unfinished steps of one stage (what each Slurm job's script calls).") { run, stage, task, slices, threads, device };
        CommandAction.Set(command, (parseResult, cancellationToken) =>
        {
            ThreadsOption.Apply(parseResult, threads);
            var on = DeviceOption.Get(parseResult, device);
            var dir = parseResult.GetRequiredValue(run).FullName;
            var which = SlurmSubmission.ParseStage(parseResult.GetRequiredValue(stage));
            var index = parseResult.GetValue(task) ?? (int.TryParse(Environment.GetEnvironmentVariable("SLURM_ARRAY_TASK_ID"), out var i) ? i : 0);
            var error = parseResult.InvocationConfiguration.Error;
            error.WriteLine($"{DateTime.Now:HH:mm:ss} {SlurmSubmission.StageName(which)} task {index} in {dir}, restart {Environment.GetEnvironmentVariable("SLURM_RESTART_COUNT") ?? "0"}");
            string? step = null;
            var ran = SlurmTask.Run(dir, which, index, parseResult.GetValue(slices), on, new InlineProgress<ExperimentProgress>(p =>
            {
                // The log gets each step's first report: where a resumed step starts.
                if (p.Step == step) return;
                step = p.Step;
                error.WriteLine($"{DateTime.Now:HH:mm:ss} {p.Step}" + (p.Total > 0 ? $" from {p.Done:N0} of {p.Total:N0} {p.Unit}" : ""));
            }), cancellationToken);
            error.WriteLine($"{DateTime.Now:HH:mm:ss} done: {(ran.Count == 0 ? "nothing left to do" : string.Join(", ", ran))}");
            return 0;
        });
        return command;
    }

    private static Argument<DirectoryInfo> RunFolder(string description) => new("RUN_DIR") { Description = description };

    private static string Name(SlurmStepState state) => JsonNamingPolicy.KebabCaseLower.ConvertName(state.ToString());
}
