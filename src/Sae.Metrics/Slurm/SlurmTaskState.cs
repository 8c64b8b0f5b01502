using System.Text.Json;
using System.Text.Json.Serialization;
using Sae.Core.IO;
using Sae.Metrics.Experiments;

namespace Sae.Metrics.Slurm;

/// <summary>
/// What a Slurm task last said about itself, in the run folder's <c>slurm/state/STAGE-TASK.json</c>: its job, whether it is
/// running, done, failed (and why) or was interrupted (cancelled, pre-empted, requeued), and how often Slurm restarted it.
/// </summary>
/// <param name="JobId">The job's id (an array job's base id).</param>
/// <param name="Phase">Running, done, failed or interrupted.</param>
/// <param name="Restarts">Slurm's restart count of the task (<c>SLURM_RESTART_COUNT</c>).</param>
/// <param name="Message">Why it failed; null otherwise.</param>
/// <param name="At">When it was written (UTC).</param>
public sealed record SlurmTaskState(
    [property: JsonPropertyName("job_id")] string JobId,
    [property: JsonPropertyName("state")] SlurmTaskPhase Phase,
    [property: JsonPropertyName("restarts")] int Restarts,
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("at")] DateTime At)
{
    /// <summary>The state of task <paramref name="task"/> of <paramref name="stage"/> in <paramref name="runDirectory"/>, or null if it has written none (or an unreadable one).</summary>
    public static SlurmTaskState? Read(string runDirectory, ExperimentStage stage, int task)
    {
        var path = PathOf(runDirectory, stage, task);
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<SlurmTaskState>(File.ReadAllText(path), SlurmSubmission.Json) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Writes this state as that of task <paramref name="task"/> of <paramref name="stage"/>, whole or not at all.</summary>
    public void Write(string runDirectory, ExperimentStage stage, int task)
    {
        var path = PathOf(runDirectory, stage, task);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, SlurmSubmission.Json));
    }

    private static string PathOf(string runDirectory, ExperimentStage stage, int task) =>
        Path.Combine(runDirectory, SlurmSubmission.FolderName, "state", $"{SlurmSubmission.StageName(stage)}-{task}.json");
}
