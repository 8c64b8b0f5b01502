namespace Sae.Metrics.Tests.Slurm;

/// <summary>Stand-ins for Slurm's commands, as executable scripts in a folder: sbatch that records its calls and answers job ids, squeue that prints a given queue.</summary>
internal static class FakeSlurm
{
    /// <summary>
    /// An sbatch that appends its arguments (one call per line) to <c>calls</c> beside it and prints "ID;cluster" with ids from 101 up;
    /// from call <paramref name="failFrom"/> on (1-based) it fails as sbatch does on a refused job.
    /// </summary>
    public static string Sbatch(string folder, int failFrom = int.MaxValue) => Script(folder, "sbatch", $"""
        log="$(dirname "$0")/calls"
        echo "$*" >> "$log"
        n=$(wc -l < "$log")
        if [ "$n" -ge {failFrom} ]; then echo "sbatch: error: Batch job submission failed: Invalid partition name specified" >&2; exit 1; fi
        echo "$((n + 100));cluster"
        """);

    /// <summary>The calls the fake sbatch in <paramref name="folder"/> received, one per line.</summary>
    public static string[] Calls(string folder) => File.ReadAllLines(Path.Combine(folder, "calls"));

    /// <summary>An squeue that prints <paramref name="lines"/> ("ID STATE REASON") whatever it is asked, or fails with <paramref name="error"/> if given.</summary>
    public static string Squeue(string folder, IEnumerable<string> lines, string? error = null) => Script(folder, "squeue",
        error is null ? string.Join('\n', lines.Select(l => $"echo '{l}'")) : $"echo '{error}' >&2; exit 1");

    private static string Script(string folder, string name, string body)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, "#!/bin/bash\n" + body + "\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}
