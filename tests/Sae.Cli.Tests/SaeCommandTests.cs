using System.Text.Json;
using Sae.Core.Activations;
using Sae.Core.Autoencoders;

namespace Sae.Cli.Tests;

public sealed class SaeCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sae-cli-train-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Activations()
    {
        var random = new Random(3);
        var values = new float[600, 8];
        for (var r = 0; r < 600; r++)
            for (var c = 0; c < 8; c++)
                values[r, c] = random.NextSingle() < 0.3f ? random.NextSingle() : 0;
        var path = Path.Combine(_dir, "acts.npy");
        NpyFile.Write(path, values);
        return path;
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.NegativeInfinity)]
    public void Training_and_evaluation_refuse_non_finite_activations_with_one_line_naming_the_row(float bad)
    {
        var path = Activations();
        var values = NpyFile.Read(path);
        values[421, 5] = bad;
        NpyFile.Write(path, values);
        var output = Path.Combine(_dir, "refused");
        var (code, _, error) = Sae.Run("", "train", "--activations", path, "--arch", "standard", "--l1", "0.1",
            "--features", "16", "--steps", "40", "--batch", "32", "--checkpoint-every", "10", "--out", output);
        code.Should().Be(2);
        Sae.Lines(error).Should().ContainSingle(l => l.StartsWith("sae: error: ")).Which.Should().Contain("acts.npy").And.Contain("row 421, column 5");
        Directory.Exists(output).Should().BeFalse("no step was taken and nothing was written");

        var good = Path.Combine(_dir, "good");
        NpyFile.Write(Path.Combine(_dir, "clean.npy"), new float[,] { { 1, 0, 0, 0, 0, 0, 0, 0 }, { 0, 1, 0, 0, 0, 0, 0, 0 } });
        Sae.Run("", "train", "--activations", Path.Combine(_dir, "clean.npy"), "--arch", "standard", "--l1", "0.1",
            "--features", "16", "--steps", "2", "--batch", "2", "--out", good).ExitCode.Should().Be(0);
        (code, _, error) = Sae.Run("", "eval", "sae", "--sae", good, "--activations", path);
        code.Should().Be(2);
        error.Should().Contain("row 421, column 5");
    }

    [Fact]
    public void Train_writes_a_loadable_sae_per_penalty_and_eval_measures_it()
    {
        var acts = Activations();
        var output = Path.Combine(_dir, "sweep");
        var (code, _, error) = Sae.Run("", "train", "--activations", acts, "--arch", "gated", "--p-anneal", "--l1", "0.1", "0.3",
            "--features", "16", "--steps", "40", "--batch", "32", "--lr", "1e-3", "--warmup", "5", "--seed", "7", "--out", output);
        code.Should().Be(0, error);
        foreach (var i in new[] { 0, 1 })
        {
            var dir = Path.Combine(output, $"trainer_{i}");
            using var sae = SaeFiles.Load(dir);
            sae.Should().BeOfType<GatedSae>();
            var config = SaeFiles.ReadConfig(dir);
            config.Training!["trainer"]!.GetValue<string>().Should().Be("GatedAnnealTrainer");
            config.Training!["initial_l1_penalty"]!.GetValue<double>().Should().Be(i == 0 ? 0.1 : 0.3);
        }

        var eval = Sae.Run("", "eval", "sae", "--sae", Path.Combine(output, "trainer_1"), "--activations", acts);
        eval.ExitCode.Should().Be(0, eval.Error);
        var json = JsonDocument.Parse(eval.Output).RootElement;
        json.GetProperty("l0").GetDouble().Should().BeInRange(0, 16);
        json.GetProperty("fraction_of_variance_explained").GetDouble().Should().BeLessThanOrEqualTo(1);
        json.GetProperty("mse").GetDouble().Should().BeGreaterThanOrEqualTo(0);
        (json.GetProperty("dead_features").GetInt32() + json.GetProperty("alive_features").GetInt32()).Should().Be(16);
    }

    [Fact]
    public void Train_topk_sweeps_over_k()
    {
        var acts = Activations();
        var output = Path.Combine(_dir, "topk");
        var (code, _, error) = Sae.Run("", "train", "--activations", acts, "--arch", "topk", "--k", "2", "4",
            "--features", "16", "--steps", "20", "--batch", "32", "--out", output);
        code.Should().Be(0, error);
        using var two = SaeFiles.Load(Path.Combine(output, "trainer_0"));
        using var four = SaeFiles.Load(Path.Combine(output, "trainer_1"));
        ((TopKSae)two).K.Should().Be(2);
        ((TopKSae)four).K.Should().Be(4);
        SaeFiles.ReadConfig(Path.Combine(output, "trainer_1")).Training!["trainer"]!.GetValue<string>().Should().Be("TopKTrainer");

        var batch = Sae.Run("", "train", "--activations", acts, "--arch", "batchtopk", "--k", "3",
            "--features", "16", "--steps", "20", "--batch", "32", "--out", Path.Combine(_dir, "batchtopk"));
        batch.ExitCode.Should().Be(0, batch.Error);
        using var jump = SaeFiles.Load(Path.Combine(_dir, "batchtopk"));
        jump.Should().BeOfType<JumpReluSae>();

        var direct = Sae.Run("", "train", "--activations", acts, "--arch", "jumprelu", "--l1", "0.01", "--normalize", "--dtype", "bfloat16",
            "--features", "16", "--steps", "20", "--batch", "32", "--out", Path.Combine(_dir, "jumprelu"));
        direct.ExitCode.Should().Be(0, direct.Error);
        using var trained = SaeFiles.Load(Path.Combine(_dir, "jumprelu"));
        trained.Should().BeOfType<JumpReluSae>();
        var cfg = SaeFiles.ReadConfig(Path.Combine(_dir, "jumprelu")).Training!;
        cfg["trainer"]!.GetValue<string>().Should().Be("JumpReluTrainer");
        cfg["l0_penalty"]!.GetValue<double>().Should().Be(0.01);
        cfg["product_dtype"]!.GetValue<string>().Should().Be("bfloat16");
        trained.DType.Should().Be(TorchSharp.torch.ScalarType.Float32, "mixed precision keeps float32 weights");
        ((JumpReluSae)trained).threshold.min().item<float>().Should().BeGreaterThan(0, "thresholds stay positive");
    }

    [Fact]
    public void Normalised_training_records_the_scale_it_folded_into_the_weights()
    {
        var acts = Activations();
        var output = Path.Combine(_dir, "normalised");
        var run = Sae.Run("", "train", "--activations", acts, "--normalize", "--features", "16", "--steps", "10", "--batch", "32", "--out", output);
        run.ExitCode.Should().Be(0, run.Error);
        var scale = SaeFiles.ReadConfig(output).Training!["input_scale"]!.GetValue<double>();
        using var source = new NpyActivations(acts);
        scale.Should().BeApproximately(Core.Training.SaeTraining.InputScale(source), 1e-12);
        scale.Should().NotBe(1);
    }

    [Fact]
    public void Training_again_resumes_from_the_finished_checkpoint_and_changes_nothing()
    {
        var acts = Activations();
        var output = Path.Combine(_dir, "single");
        string[] args = ["train", "--activations", acts, "--l1", "0.05", "--features", "16", "--steps", "20", "--batch", "16", "--checkpoint-every", "10", "--out", output];
        Sae.Run("", args).ExitCode.Should().Be(0);
        var first = File.ReadAllBytes(Path.Combine(output, SaeFiles.WeightsFileName));
        Sae.Run("", args).ExitCode.Should().Be(0);
        File.ReadAllBytes(Path.Combine(output, SaeFiles.WeightsFileName)).Should().Equal(first);
    }

    [Fact]
    public void Unknown_architectures_bad_options_and_bad_files_give_one_error_line()
    {
        var acts = Activations();
        var unknown = Sae.Run("", "train", "--activations", acts, "--arch", "relu2", "--out", Path.Combine(_dir, "t"));
        unknown.ExitCode.Should().Be(2);
        unknown.Error.Should().StartWith("sae: error: --arch relu2: training is implemented for standard, gated, topk, batchtopk, jumprelu SAEs");
        var annealed = Sae.Run("", "train", "--activations", acts, "--arch", "jumprelu", "--p-anneal", "--out", Path.Combine(_dir, "t"));
        annealed.ExitCode.Should().Be(2);
        annealed.Error.Should().Contain("--p-anneal applies to standard and gated SAEs");
        Directory.Exists(Path.Combine(_dir, "t")).Should().BeFalse();

        var foreign = Path.Combine(_dir, "foreign.npy");
        File.WriteAllText(foreign, "this is not numpy");
        var train = Sae.Run("", "train", "--activations", foreign, "--out", Path.Combine(_dir, "f"));
        train.ExitCode.Should().Be(2);
        train.Error.Should().Be($"sae: error: {foreign}: not a .npy file (it does not start with \\x93NUMPY)\n");

        var eval = Sae.Run("", "eval", "sae", "--sae", _dir, "--activations", acts);
        eval.ExitCode.Should().Be(2);
        eval.Error.Should().Contain("no cfg.json");
    }

    [Theory]
    [InlineData("standard")]
    [InlineData("gated")]
    [InlineData("topk")]
    [InlineData("batchtopk")]
    [InlineData("jumprelu")]
    [InlineData("standard", "bfloat16")]
    public void Bench_sae_step_prints_tokens_per_second_and_the_matmul_reference(string arch, string dtype = "float32")
    {
        var (code, output, error) = Sae.Run("", "bench", "sae-step", "--arch", arch, "--dtype", dtype, "--batch", "64", "--dim", "8", "--features", "32", "--k", "4", "--steps", "3");
        error.Should().Contain($"{dtype} products");
        code.Should().Be(0, error);
        var json = JsonDocument.Parse(Sae.Lines(output)[^1]).RootElement;
        json.GetProperty("tokens_per_second").GetDouble().Should().BePositive();
        json.GetProperty("matmul_tokens_per_second").GetDouble().Should().BePositive();
    }

    [Fact]
    public void Bench_ops_prints_a_table_of_every_operation_then_their_timings_as_json()
    {
        var (code, output, error) = Sae.Run("", "bench", "ops", "--batch", "2", "--ctx", "8", "--d-model", "16", "--heads", "2",
            "--sae-batch", "32", "--features", "64", "--repeats", "2", "--threads", "1");
        code.Should().Be(0, error);
        var lines = Sae.Lines(output);
        lines[0].Should().Be("| operation | shape | float32 | bfloat16 |");
        var rows = lines.Skip(2).TakeWhile(l => l.StartsWith('|')).ToList();
        var ops = JsonDocument.Parse(lines[^1]).RootElement.GetProperty("ops").EnumerateArray().ToList();
        ops.Should().HaveCount(rows.Count);
        ops.Select(o => o.GetProperty("operation").GetString()).Should().Contain(["GELU", "LayerNorm", "causal attention, fused (SDPA)", "causal attention, explicit", "SAE encoder product"]);
        var products = new[] { "mm (MLP c_fc)", "F.linear (MLP c_fc)", "matmul (MLP c_fc)", "causal attention, fused (SDPA)", "causal attention, explicit",
            "SAE encoder product", "SAE decoder product", "SAE W_enc gradient product" };
        foreach (var op in ops)
        {
            var timings = op.GetProperty("timings");
            timings.GetProperty("bfloat16").GetProperty("ms").GetDouble().Should().BeGreaterThanOrEqualTo(0);
            var isProduct = products.Contains(op.GetProperty("operation").GetString());
            timings.GetProperty("float32").GetProperty("gflops").ValueKind.Should().Be(isProduct ? JsonValueKind.Number : JsonValueKind.Null,
                "products report their rate, elementwise operations only their time");
        }
        var single = Sae.Run("", "bench", "ops", "--batch", "2", "--ctx", "8", "--d-model", "16", "--sae-batch", "32", "--features", "64", "--repeats", "1", "--dtype", "float32");
        single.ExitCode.Should().Be(0, single.Error);
        Sae.Lines(single.Output)[0].Should().Be("| operation | shape | float32 |");
    }
}
