using System.CommandLine;
using Sae.Metrics.Slurm;

namespace Sae.Cli;

/// <summary>
/// The options of <c>sae run --slurm</c> and <c>sae slurm submit</c>: what users set on their clusters, passed into every job's
/// <c>#SBATCH</c> lines (<see cref="SlurmOptions"/>, whose defaults they take).
/// </summary>
internal sealed class SlurmOptionSet
{
    private static readonly SlurmOptions Defaults = new();
    private readonly Option<string?> _partition = new("--partition") { Description = "Slurm partition of every job (default: the cluster's)." };
    private readonly Option<string?> _time = new("--time") { Description = "Time limit of each job, as sbatch takes it (e.g. 04:00:00)." };
    private readonly Option<string?> _memory = new("--mem") { Description = "Memory per node of each job, as sbatch takes it (e.g. 16G)." };
    private readonly Option<int?> _gpus = new("--gpus-per-task") { Description = "GPUs per task (use with --device cuda)." };
    private readonly Option<int> _cpus = new("--cpus-per-task") { Description = "CPU cores per task; each task runs libtorch on this many threads.", DefaultValueFactory = _ => Defaults.CpusPerTask };
    private readonly Option<string?> _account = new("--account") { Description = "Account charged for the jobs." };
    private readonly Option<string[]> _sbatch = new("--sbatch") { Description = "A further #SBATCH line for every job, as its option (e.g. --sbatch=--qos=high); repeat for more.", AllowMultipleArgumentsPerToken = false };
    private readonly Option<int?> _sweepTasks = new("--sweep-tasks") { Description = "Array tasks that train the sweep, each a slice of consecutive SAEs read from one stream (default: one per sweep entry; at most one per SAE)." };

    /// <summary>The options, to add to a command.</summary>
    public IEnumerable<Option> All => [_partition, _time, _memory, _gpus, _cpus, _account, _sbatch, _sweepTasks];

    /// <summary>The Slurm options given, with the tasks run by this <c>sae</c> and on <paramref name="device"/>.</summary>
    public SlurmOptions Get(ParseResult parseResult, string device) => new()
    {
        Partition = parseResult.GetValue(_partition),
        Time = parseResult.GetValue(_time),
        Memory = parseResult.GetValue(_memory),
        GpusPerTask = parseResult.GetValue(_gpus),
        CpusPerTask = parseResult.GetValue(_cpus),
        Account = parseResult.GetValue(_account),
        ExtraDirectives = parseResult.GetValue(_sbatch) ?? [],
        SweepTasks = parseResult.GetValue(_sweepTasks),
        Device = device,
        TaskCommand = ThisTool(),
    };

    /// <summary>The words that run this very tool: its executable, or <c>dotnet sae.dll</c> when it was started that way.</summary>
    private static IReadOnlyList<string> ThisTool()
    {
        var process = Environment.ProcessPath ?? "sae";
        return Path.GetFileNameWithoutExtension(process) == "dotnet" ? [process, typeof(SlurmOptionSet).Assembly.Location] : [process];
    }
}
