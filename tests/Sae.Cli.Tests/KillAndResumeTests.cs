namespace Sae.Cli.Tests;

/// <summary>
/// Long commands killed with SIGKILL at seeded random moments, then run again until they finish: the outputs
/// are byte-identical to an uninterrupted run's, and no temporary file is left.
/// </summary>
public sealed class KillAndResumeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sae-kill-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Games()
    {
        var path = Path.Combine(_dir, "games.othello");
        if (!File.Exists(path)) Sae.Run("", "othello", "generate", "--games", "1000", "--seed", "1", "--out", path).ExitCode.Should().Be(0);
        return path;
    }

    private string[] LmTrain(string outDir) =>
        ["lm", "train", "--data", Games(), "--layers", "1", "--d-model", "32", "--heads", "2", "--steps", "120",
         "--held-out", "100", "--checkpoint-every", "10", "--threads", "1", "--out", outDir];

    private string[] Train(string store, string outDir) =>
        ["train", "--activations", store, "--arch", "gated", "--p-anneal", "--l1", "0.1", "0.2", "--features", "64", "--steps", "3000",
         "--batch", "64", "--checkpoint-every", "100", "--seed", "3", "--threads", "1", "--out", outDir];

    /// <summary>
    /// Runs the command once without interruption and returns how long it worked after it first reported, the
    /// window within which <see cref="KillRepeatedly"/> places its kills on this machine, fast or busy.
    /// </summary>
    private static TimeSpan Uninterrupted(string[] args)
    {
        using var process = SaeProcess.Start(args);
        process.WaitUntilReported(TimeSpan.FromSeconds(60)).Should().BeTrue("the command starts and reports");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        process.WaitForExit(TimeSpan.FromMinutes(5)).Should().Be(0, process.Error);
        return clock.Elapsed;
    }

    /// <summary>
    /// Kills the command <paramref name="kills"/> times, each at a random moment between 5% and 20% of the
    /// <paramref name="work"/> an uninterrupted run took after its first report, then lets it finish. Since a
    /// resumed run makes no more progress in that time than a fresh one, every kill lands while the command is
    /// still working.
    /// </summary>
    private static void KillRepeatedly(string[] args, int kills, int seed, TimeSpan work)
    {
        var random = new Random(seed);
        for (var k = 0; k < kills; k++)
        {
            using var process = SaeProcess.Start(args);
            process.WaitUntilReported(TimeSpan.FromSeconds(60)).Should().BeTrue("the command starts and reports");
            Thread.Sleep(TimeSpan.FromMilliseconds(work.TotalMilliseconds * (0.05 + 0.15 * random.NextDouble())));
            process.HasExited.Should().BeFalse($"the command is still working when killed (kill {k}, {work.TotalMilliseconds:F0} ms of work uninterrupted)");
            process.Signal(SaeProcess.SigKill);
            process.WaitForExit(TimeSpan.FromSeconds(30)).Should().Be(128 + SaeProcess.SigKill);
        }
        using var last = SaeProcess.Start(args);
        last.WaitForExit(TimeSpan.FromMinutes(5)).Should().Be(0, last.Error);
    }

    private void NoTemporaryFiles() =>
        Directory.EnumerateFileSystemEntries(_dir, "*.tmp", SearchOption.AllDirectories).Should().BeEmpty("no temporary file or folder survives a kill");

    [Fact]
    public void Lm_train_killed_and_resumed_gives_the_uninterrupted_weights()
    {
        var whole = Path.Combine(_dir, "lm-whole");
        var pieces = Path.Combine(_dir, "lm-pieces");
        KillRepeatedly(LmTrain(pieces), kills: 3, seed: 1, Uninterrupted(LmTrain(whole)));
        File.ReadAllBytes(Path.Combine(pieces, "model.safetensors")).Should().Equal(File.ReadAllBytes(Path.Combine(whole, "model.safetensors")));
        NoTemporaryFiles();
    }

    [Fact]
    public void Sae_train_killed_and_resumed_gives_the_uninterrupted_saes()
    {
        var model = Path.Combine(_dir, "model");
        var store = Path.Combine(_dir, "store");
        Sae.Run("", "lm", "train", "--data", Games(), "--layers", "1", "--d-model", "32", "--heads", "2", "--steps", "5",
            "--held-out", "100", "--threads", "1", "--out", model).ExitCode.Should().Be(0);
        Sae.Run("", "lm", "collect", "--model", model, "--data", Games(), "--layer", "0", "--games", "300", "--threads", "1", "--out", store).ExitCode.Should().Be(0);
        var whole = Path.Combine(_dir, "sae-whole");
        var pieces = Path.Combine(_dir, "sae-pieces");
        KillRepeatedly(Train(store, pieces), kills: 3, seed: 2, Uninterrupted(Train(store, whole)));
        foreach (var trainer in new[] { "trainer_0", "trainer_1" })
            File.ReadAllBytes(Path.Combine(pieces, trainer, "sae_weights.safetensors"))
                .Should().Equal(File.ReadAllBytes(Path.Combine(whole, trainer, "sae_weights.safetensors")), trainer);
        NoTemporaryFiles();
    }

    /// <summary>A language model for the commands that read one, trained once per test.</summary>
    private string Model()
    {
        var model = Path.Combine(_dir, "model");
        if (!Directory.Exists(model))
            Sae.Run("", "lm", "train", "--data", Games(), "--layers", "1", "--d-model", "32", "--heads", "2", "--steps", "5",
                "--held-out", "100", "--threads", "1", "--out", model).ExitCode.Should().Be(0);
        return model;
    }

    private static void SameFiles(string expected, string actual, params string[] files)
    {
        foreach (var file in files)
            File.ReadAllBytes(Path.Combine(actual, file)).Should().Equal(File.ReadAllBytes(Path.Combine(expected, file)), file);
    }

    [Fact]
    public void Lm_collect_killed_and_rerun_gives_the_same_store()
    {
        var games = Path.Combine(_dir, "collect.othello");
        Sae.Run("", "othello", "generate", "--games", "4000", "--seed", "2", "--out", games).ExitCode.Should().Be(0);
        string[] Collect(string store) => ["lm", "collect", "--model", Model(), "--data", games, "--layer", "0", "--batch", "16", "--threads", "1", "--out", store];
        var whole = Path.Combine(_dir, "store-whole");
        var pieces = Path.Combine(_dir, "store-pieces");
        KillRepeatedly(Collect(pieces), kills: 3, seed: 4, Uninterrupted(Collect(whole)));
        SameFiles(whole, pieces, "manifest.json", "shard-00000.npy", "positions.npy");
        NoTemporaryFiles();
    }

    [Fact]
    public void Sae_run_killed_at_random_steps_and_rerun_gives_the_same_results()
    {
        // A whole experiment (games, model, activations, SAEs, baselines, evaluation, report) in seconds.
        var config = Path.Combine(_dir, "tiny.json");
        File.WriteAllText(config, """
            {"game": "othello", "model_games": 1000, "sae_games": 100, "eval_train_games": 40, "eval_test_games": 40,
             "model": {"n_layer": 1, "n_head": 2, "n_embd": 32, "block_size": 59, "vocab_size": 61},
             "model_training": {"steps": 120, "batch_size": 16, "learning_rate": 0.002, "warmup_steps": 5, "checkpoint_every": 10},
             "layer": 0, "features": 64, "sae_steps": 100, "sae_batch": 256, "sae_warmup": 5, "mlp_neurons": false, "linear_probe": false,
             "sweep": [{"architecture": "standard", "p_anneal": false, "penalties": [0.05]}]}
            """);
        string[] Run(string dir) => ["run", "--config", config, "--threads", "1", "--out", dir];
        var whole = Path.Combine(_dir, "run-whole");
        var pieces = Path.Combine(_dir, "run-pieces");
        KillRepeatedly(Run(pieces), kills: 3, seed: 5, Uninterrupted(Run(whole)));
        SameFiles(whole, pieces, "games.othello", "model/model.safetensors", "activations/shard-00000.npy",
            "saes/standard-0.05/sae_weights.safetensors", "saes/random-model-standard/sae_weights.safetensors",
            "eval/standard-0.05.json", "eval/random-model-standard.json", "results.csv");
        NoTemporaryFiles();
    }

    [Fact]
    public void Othello_generate_killed_and_rerun_gives_the_same_file()
    {
        string[] Generate(string path) => ["othello", "generate", "--games", "400000", "--seed", "5", "--threads", "1", "--out", path];
        var whole = Path.Combine(_dir, "whole.othello");
        var pieces = Path.Combine(_dir, "pieces.othello");
        KillRepeatedly(Generate(pieces), kills: 2, seed: 3, Uninterrupted(Generate(whole)));
        File.ReadAllBytes(pieces).Should().Equal(File.ReadAllBytes(whole));
        NoTemporaryFiles();
    }
}
