namespace Sae.Metrics.Slurm;

/// <summary>
/// How <see cref="SlurmJobs.Submit"/> asks Slurm for each job: what users set on their clusters (partition, time, memory, GPUs,
/// account, any other <c>#SBATCH</c> line), how many tasks train the sweep, and the command that runs <c>sae</c> on the nodes.
/// </summary>
public sealed record SlurmOptions
{
    /// <summary>The partition (<c>--partition</c>); null: the cluster's default.</summary>
    public string? Partition { get; init; }

    /// <summary>Each job's time limit (<c>--time</c>, e.g. <c>04:00:00</c> or <c>1-00:00:00</c>); null: the partition's default.</summary>
    public string? Time { get; init; }

    /// <summary>Memory per node (<c>--mem</c>, e.g. <c>16G</c>); null: the partition's default.</summary>
    public string? Memory { get; init; }

    /// <summary>GPUs per task (<c>--gpus-per-task</c>); null: none asked for.</summary>
    public int? GpusPerTask { get; init; }

    /// <summary>CPU cores per task (<c>--cpus-per-task</c>); each task runs libtorch on this many threads.</summary>
    public int CpusPerTask { get; init; } = 1;

    /// <summary>The account charged (<c>--account</c>); null: the user's default.</summary>
    public string? Account { get; init; }

    /// <summary>Further <c>#SBATCH</c> lines, each given as its option (e.g. <c>--qos=high</c>), written into every job's script.</summary>
    public IReadOnlyList<string> ExtraDirectives { get; init; } = [];

    /// <summary>
    /// How many array tasks train the sweep (each a slice of consecutive SAEs, see <see cref="Experiments.Experiment.SweepSlice"/>);
    /// null: one per sweep entry. At most one per SAE.
    /// </summary>
    public int? SweepTasks { get; init; }

    /// <summary>Where models and SAEs run in every task: <c>cpu</c>, <c>cuda</c>, <c>cuda:N</c>.</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>The command, as its words, that runs the <c>sae</c> tool on the cluster's nodes (the run folder must be shared with them).</summary>
    public IReadOnlyList<string> TaskCommand { get; init; } = ["sae"];

    /// <summary>The <c>sbatch</c> program.</summary>
    public string Sbatch { get; init; } = "sbatch";
}
