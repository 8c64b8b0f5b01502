using System.Text.Json;
using System.Text.Json.Serialization;
using Sae.Core.IO;
using Sae.Metrics.Experiments;

namespace Sae.Metrics.Slurm;

/// <summary>
/// What <see cref="SlurmJobs.Submit"/> submitted for a run folder, kept in its <c>slurm/jobs.json</c>: into how many slices the sweep
/// was cut, and every job. <see cref="SlurmStatus"/> reads it.
/// </summary>
/// <param name="SweepSlices">Into how many "train SAEs" steps (array tasks) the sweep was cut.</param>
/// <param name="Jobs">The jobs, in the order submitted.</param>
public sealed record SlurmSubmission(
    [property: JsonPropertyName("sweep_slices")] int SweepSlices,
    [property: JsonPropertyName("jobs")] IReadOnlyList<SlurmJob> Jobs)
{
    /// <summary>The run folder's sub-folder for the Slurm jobs' scripts, logs and task states.</summary>
    public const string FolderName = "slurm";

    /// <summary>The submission's file name in <see cref="FolderName"/>.</summary>
    public const string FileName = "jobs.json";

    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    /// <summary>The name a stage has on the command line and in files: e.g. <c>train-saes</c>.</summary>
    public static string StageName(ExperimentStage stage) => JsonNamingPolicy.KebabCaseLower.ConvertName(stage.ToString());

    /// <summary>The stage called <paramref name="name"/> (as <see cref="StageName"/> writes it).</summary>
    /// <exception cref="ArgumentException">No stage has that name.</exception>
    public static ExperimentStage ParseStage(string name)
    {
        foreach (var stage in Enum.GetValues<ExperimentStage>())
            if (StageName(stage) == name) return stage;
        throw new ArgumentException($"No stage is called {name}; the stages are {string.Join(", ", Enum.GetValues<ExperimentStage>().Select(StageName))}.");
    }

    /// <summary>The submission recorded in <paramref name="runDirectory"/>, or null if none was made there.</summary>
    /// <exception cref="InvalidDataException">The file is not a submission record.</exception>
    public static SlurmSubmission? Read(string runDirectory)
    {
        var path = PathIn(runDirectory);
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<SlurmSubmission>(File.ReadAllText(path), Json) ?? throw new InvalidDataException($"{path}: empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a Slurm submission record: {e.Message}", e);
        }
    }

    /// <summary>Writes the record into <paramref name="runDirectory"/>, whole or not at all.</summary>
    public void Write(string runDirectory)
    {
        Directory.CreateDirectory(Path.Combine(runDirectory, FolderName));
        AtomicFile.WriteAllText(PathIn(runDirectory), JsonSerializer.Serialize(this, Json));
    }

    private static string PathIn(string runDirectory) => Path.Combine(runDirectory, FolderName, FileName);
}
