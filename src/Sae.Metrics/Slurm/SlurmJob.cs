using System.Text.Json.Serialization;
using Sae.Metrics.Experiments;

namespace Sae.Metrics.Slurm;

/// <summary>One submitted Slurm job: the stage it runs, its id, its array's task indices (null when not an array), the jobs it waits for and its script.</summary>
/// <param name="Stage">The experiment stage its tasks run.</param>
/// <param name="JobId">Slurm's job id (an array job's base id).</param>
/// <param name="ArrayTasks">The array's task indices (the sweep slices not yet trained), or null for a single job.</param>
/// <param name="DependsOn">The ids of the jobs it starts after (<c>--dependency=afterok</c>).</param>
/// <param name="Script">The batch script's path.</param>
public sealed record SlurmJob(
    [property: JsonPropertyName("stage")] ExperimentStage Stage,
    [property: JsonPropertyName("job_id")] string JobId,
    [property: JsonPropertyName("array_tasks")] IReadOnlyList<int>? ArrayTasks,
    [property: JsonPropertyName("depends_on")] IReadOnlyList<string> DependsOn,
    [property: JsonPropertyName("script")] string Script)
{
    /// <summary>The id Slurm gives task <paramref name="task"/> of this job: <c>ID_TASK</c> in an array, else the job's id.</summary>
    public string TaskId(int task) => ArrayTasks is null ? JobId : $"{JobId}_{task}";
}
