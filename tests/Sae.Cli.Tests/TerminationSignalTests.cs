namespace Sae.Cli.Tests;

/// <summary>
/// SIGINT and SIGTERM sent to a running <c>sae</c> child process at seeded random moments of its work: each
/// time the command stops at its next step, leaves no temporary file, and exits with 130.
/// </summary>
public sealed class TerminationSignalTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sae-signals-").FullName;

    public TerminationSignalTests()
    {
        // Inputs, made in process: games, a tiny model and its activations.
        Run("othello", "generate", "--games", "3000", "--seed", "1", "--out", Path.Combine(_dir, "games.othello"));
        Run("lm", "train", "--data", Path.Combine(_dir, "games.othello"), "--layers", "1", "--d-model", "32", "--heads", "2",
            "--steps", "20", "--held-out", "100", "--threads", "1", "--out", Path.Combine(_dir, "model"));
        Run("lm", "collect", "--model", Path.Combine(_dir, "model"), "--data", Path.Combine(_dir, "games.othello"), "--layer", "0",
            "--games", "200", "--threads", "1", "--out", Path.Combine(_dir, "store"));
        // A wider model, whose collection one game at a time lasts long enough to be interrupted.
        Run("lm", "train", "--data", Path.Combine(_dir, "games.othello"), "--layers", "2", "--d-model", "128", "--heads", "4",
            "--steps", "2", "--held-out", "100", "--threads", "1", "--out", Path.Combine(_dir, "wide-model"));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static void Run(params string[] args)
    {
        var (exitCode, _, error) = Sae.Run("", args);
        exitCode.Should().Be(0, error);
    }

    public static TheoryData<string> Commands => ["lm train", "train", "lm collect", "run"];

    private string[] Arguments(string command, int attempt)
    {
        var outDir = Path.Combine(_dir, $"{command.Replace(' ', '-')}-{attempt}");
        return command switch
        {
            "lm train" => ["lm", "train", "--data", Path.Combine(_dir, "games.othello"), "--layers", "1", "--d-model", "32", "--heads", "2",
                "--steps", "100000", "--held-out", "100", "--checkpoint-every", "50", "--threads", "1", "--out", outDir],
            "train" => ["train", "--activations", Path.Combine(_dir, "store"), "--arch", "standard", "--l1", "0.01", "0.02", "--features", "128",
                "--steps", "100000", "--batch", "64", "--checkpoint-every", "50", "--seed", "1", "--threads", "1", "--out", outDir],
            "lm collect" => ["lm", "collect", "--model", Path.Combine(_dir, "wide-model"), "--data", Path.Combine(_dir, "games.othello"), "--layer", "1",
                "--games", "2900", "--batch", "1", "--threads", "1", "--out", outDir],
            _ => ["run", "--game", "othello", "--preset", "smoke", "--threads", "1", "--out", outDir],
        };
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void A_signal_at_any_moment_ends_the_command_with_130_and_no_temporary_files(string command)
    {
        var random = new Random(command.GetHashCode(StringComparison.Ordinal) & 0x7fff ^ 11);
        for (var attempt = 0; attempt < 3; attempt++)
        {
            // SIGINT on odd attempts, unless this test process was started with it ignored (see SaeProcess.SigIntIgnored).
            var signal = attempt % 2 == 1 && !SaeProcess.SigIntIgnored ? SaeProcess.SigInt : SaeProcess.SigTerm;
            using var process = SaeProcess.Start(Arguments(command, attempt));
            // The command has started its work once it has said something; then a random moment of it.
            process.WaitUntilReported(TimeSpan.FromSeconds(60)).Should().BeTrue($"{command} starts and reports");
            Thread.Sleep(random.Next(50, 2500));
            process.HasExited.Should().BeFalse($"{command} is still working when signalled (attempt {attempt})");
            process.Signal(signal);
            var exitCode = process.WaitForExit(TimeSpan.FromSeconds(120));
            exitCode.Should().Be(130, $"{command}, attempt {attempt}, signal {signal}: {process.Error}");
            process.Error.Should().Contain("sae: cancelled");
            Directory.EnumerateFileSystemEntries(_dir, "*.tmp", SearchOption.AllDirectories).Should().BeEmpty("no temporary file or folder is left");
        }
    }
}
