using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Sae.Core.IO;

namespace Sae.Metrics.Experiments;

/// <summary>
/// The wall time one step of the experiment took, kept in the run folder (<c>timings/STEP.json</c>) by every process that runs
/// steps (<see cref="Experiment.Run"/>, a Slurm task), so that the report can say where the time went. A step interrupted and
/// resumed counts the time of every attempt: the record of an unfinished attempt is added to by the next one.
/// </summary>
/// <param name="Step">The step's name, e.g. <c>train SAEs</c>.</param>
/// <param name="Stage">The step's stage.</param>
/// <param name="Seconds">Wall seconds spent in the step, over every attempt.</param>
/// <param name="Finished">Whether the step finished (false while only interrupted or failed attempts are recorded).</param>
/// <param name="UpdatedUtc">When the record was last written.</param>
public sealed record StepTiming(
    [property: JsonPropertyName("step")] string Step,
    [property: JsonPropertyName("stage"), JsonConverter(typeof(JsonStringEnumConverter<ExperimentStage>))] ExperimentStage Stage,
    [property: JsonPropertyName("seconds")] double Seconds,
    [property: JsonPropertyName("finished")] bool Finished,
    [property: JsonPropertyName("updated_utc")] DateTime UpdatedUtc)
{
    /// <summary>The run folder's subfolder of timing records.</summary>
    public const string DirectoryName = "timings";

    /// <summary>
    /// Runs <paramref name="step"/> and records the time it took in <paramref name="runDirectory"/>, added to the time of earlier
    /// unfinished attempts; an attempt that throws (including a cancellation) is recorded as unfinished and the exception passes on.
    /// </summary>
    public static void Time(string runDirectory, ExperimentStep step)
    {
        var path = PathOf(runDirectory, step.Name);
        var before = Read(path) is { Finished: false } unfinished ? unfinished.Seconds : 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var finished = false;
        try
        {
            step.Run();
            finished = true;
        }
        finally
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            AtomicFile.WriteAllText(path, JsonSerializer.Serialize(new StepTiming(step.Name, step.Stage, before + clock.Elapsed.TotalSeconds, finished, DateTime.UtcNow)));
        }
    }

    /// <summary>Every step's timing recorded in <paramref name="runDirectory"/>, in the order they were last written; none for a folder without records.</summary>
    public static IReadOnlyList<StepTiming> ReadAll(string runDirectory)
    {
        var directory = Path.Combine(runDirectory, DirectoryName);
        if (!Directory.Exists(directory)) return [];
        return [.. Directory.GetFiles(directory, "*.json").Select(Read).OfType<StepTiming>().OrderBy(t => t.UpdatedUtc).ThenBy(t => t.Step, StringComparer.Ordinal)];
    }

    /// <summary>The record at <paramref name="path"/>, or null where there is none or it cannot be read (a timing is never worth failing a run for).</summary>
    private static StepTiming? Read(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<StepTiming>(File.ReadAllText(path));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The record's file: the step's name in lower case, letters and digits kept, anything else a hyphen.</summary>
    private static string PathOf(string runDirectory, string step)
    {
        var name = new StringBuilder(step.Length);
        foreach (var c in step.ToLowerInvariant()) name.Append(char.IsAsciiLetterOrDigit(c) || c == '.' ? c : '-');
        return Path.Combine(runDirectory, DirectoryName, name + ".json");
    }
}
