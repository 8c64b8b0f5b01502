using System.Text.Json;
using Sae.Core.Autoencoders;
using Sae.Core.Training;

namespace Sae.Core.IO;

/// <summary>
/// What the training checkpoints share: the byte size of each file, recorded in the state file when the
/// checkpoint is written and compared when it is read, and the choice of folder to resume from, which
/// passes over (and sets aside) a damaged one.
/// </summary>
internal static class CheckpointFolder
{
    /// <summary>The size in bytes of every file in <paramref name="folder"/>, by name.</summary>
    public static Dictionary<string, long> FileSizes(string folder) =>
        Directory.EnumerateFiles(folder).ToDictionary(f => Path.GetFileName(f), f => new FileInfo(f).Length, StringComparer.Ordinal);

    /// <summary>
    /// The checkpoint to resume from in <paramref name="directory"/>, with its parsed state: the folder
    /// itself, else the previous one an interrupted swap left beside it. A candidate whose state file is not
    /// valid JSON, whose files are missing or of other sizes than <paramref name="files"/> says, or whose
    /// safetensors headers are damaged is moved to <c>FOLDER.damaged</c> and reported to
    /// <paramref name="onDamaged"/>; null when no candidate is usable.
    /// </summary>
    public static (string Folder, TState State)? Resume<TState>(string directory, string stateFile,
        Func<TState, IReadOnlyDictionary<string, long>?> files, Action<DamagedCheckpoint>? onDamaged) where TState : class
    {
        var full = Path.GetFullPath(directory);
        foreach (var folder in new[] { full, full + ".old" })
        {
            var statePath = Path.Combine(folder, stateFile);
            if (!File.Exists(statePath)) continue;
            TState? state = null;
            string? problem;
            try
            {
                state = JsonSerializer.Deserialize<TState>(File.ReadAllText(statePath));
                problem = state is null ? $"{statePath} is empty" : Damage(folder, files(state));
            }
            catch (JsonException e)
            {
                problem = $"{statePath} is not valid JSON ({e.Message})";
            }
            if (problem is null) return (folder, state!);
            var aside = folder + ".damaged";
            if (Directory.Exists(aside)) Directory.Delete(aside, recursive: true);
            Directory.Move(folder, aside);
            onDamaged?.Invoke(new DamagedCheckpoint(folder, problem, aside));
        }
        return null;
    }

    /// <summary>What is wrong with the files of <paramref name="folder"/>, or null.</summary>
    private static string? Damage(string folder, IReadOnlyDictionary<string, long>? sizes)
    {
        foreach (var (name, size) in sizes ?? new Dictionary<string, long>())
        {
            var path = Path.Combine(folder, name);
            if (name.Contains('/') || name.Contains('\\') || !File.Exists(path)) return $"{path} is missing";
            var actual = new FileInfo(path).Length;
            if (actual != size) return $"{path} holds {actual} bytes; the checkpoint wrote {size}";
        }
        foreach (var path in Directory.EnumerateFiles(folder, "*.safetensors"))
        {
            try
            {
                SafetensorsHeader.Read(path);
            }
            catch (InvalidSaeFileException e)
            {
                return e.Message;
            }
        }
        return null;
    }
}
