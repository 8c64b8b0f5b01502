using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Sae.Core.Architectures;
using Sae.Core.LanguageModels;
using Sae.Core.Native;
using Sae.Core.Training;
using static TorchSharp.torch;

namespace Sae.Cli.Commands;

/// <summary>
/// <c>sae bench sae-step</c>: full training steps per second (forward, loss, backward, optimiser,
/// decoder renormalisation), against the machine's own rate for the step's five matrix products.
/// </summary>
internal static class SaeBenchCommand
{
    public static Command Create()
    {
        var arch = new Option<string>("--arch") { Description = "standard, gated, topk, batchtopk or jumprelu.", DefaultValueFactory = _ => SaeArchitectures.Standard.Name };
        arch.AcceptOnlyFromAmong([.. SaeArchitectures.All.Select(a => a.Name)]);
        var k = new Option<int>("--k") { Description = "Active features of a TopK SAE.", DefaultValueFactory = _ => 32 };
        var batch = new Option<int>("--batch") { Description = "Activations per step.", DefaultValueFactory = _ => 4096 };
        var dim = new Option<int>("--dim") { Description = "Activation dimension d (default: OthelloGPT's d_model).", DefaultValueFactory = _ => GptConfig.OthelloGpt.ModelDimension };
        var features = new Option<int>("--features") { Description = "Dictionary size F.", DefaultValueFactory = _ => PaperRecipe.Features };
        var steps = new Option<int>("--steps") { Description = "Timed steps.", DefaultValueFactory = _ => 20 };
        var dtype = ProductTypeOption.Create("float32", " The reference products are timed in the same type.");
        var command = new Command("sae-step", "Time full SAE training steps after warm-up; prints, last, {\"tokens_per_second\": …}.")
        {
            arch, k, batch, dim, features, steps, dtype,
        };
        CommandAction.Set(command, (parseResult, cancellationToken) =>
        {
            var b = OptionValues.AtLeastOne(parseResult, batch);
            var d = OptionValues.AtLeastOne(parseResult, dim);
            var f = OptionValues.AtLeastOne(parseResult, features);
            var s = OptionValues.AtLeastOne(parseResult, steps);
            var error = parseResult.InvocationConfiguration.Error;
            GlibcAllocator.TuneForTraining();
            var products = ProductTypeOption.Get(parseResult, dtype);
            error.WriteLine($"sae-step: {parseResult.GetValue(arch)} d={d} F={f} batch={b}, {ProductPrecision.Name(products)} products, {TorchBackend.EnsureLoaded()}, malloc tuned: {GlibcAllocator.IsTuned}");

            using var x = randn(b, d, generator: new Generator(1, CPU));
            using var trainer = MakeTrainer(SaeArchitectures.Get(parseResult.GetValue(arch)!), d, f, OptionValues.AtLeastOne(parseResult, k), products);
            var warmup = Math.Max(3, s / 5);
            for (var i = 0; i < warmup; i++) trainer.Step(x, 1000 + i);
            var times = new List<double>();
            for (var i = 0; i < s; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var clock = Stopwatch.StartNew();
                trainer.Step(x, 2000 + i);
                times.Add(clock.Elapsed.TotalSeconds);
            }
            var stepSeconds = BenchMath.Median(times);
            var matmulSeconds = FiveProductsSeconds(b, d, f, s, products);
            var flops = 5.0 * 2 * b * d * f;
            error.WriteLine($"step {stepSeconds * 1000:F1} ms (median of {s}); five products alone {matmulSeconds * 1000:F1} ms = {flops / matmulSeconds / 1e9:F0} GFLOP/s");
            var tokens = b / stepSeconds;
            var roofline = b / matmulSeconds;
            parseResult.InvocationConfiguration.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{{\"tokens_per_second\": {Math.Round(tokens)}, \"matmul_tokens_per_second\": {Math.Round(roofline)}, \"fraction_of_matmul\": {tokens / roofline:F3}}}"));
            return 0;
        });
        return command;
    }

    /// <summary>
    /// A trainer of <paramref name="architecture"/> with the learning rate at its base value from the first step (no warm-up):
    /// k features active for a TopK-like architecture (at most F), its typical penalty otherwise.
    /// </summary>
    private static SaeTrainer MakeTrainer(SaeArchitecture architecture, int d, int f, int k, ScalarType products) =>
        architecture.CreateTrainer(d, f, architecture.Sparsity == SparsityParameter.K ? Math.Min(k, f) : architecture.TypicalPenalty,
            new SaeTrainerSettings { Steps = 1_000_000, Warmup = 0, Seed = 0, AnnealStart = 0, ProductType = products });

    /// <summary>The median time of the step's five products (forward encode and decode; the gradients of W_dec, of f, and of W_enc).</summary>
    private static double FiveProductsSeconds(int b, int d, int f, int repeats, ScalarType type)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(2, CPU);
        var x = randn(b, d, generator: generator).to(type);
        var wEnc = randn(d, f, generator: generator).to(type);
        var wDec = randn(f, d, generator: generator).to(type);
        var features = randn(b, f, generator: generator).to(type);
        var gradOut = randn(b, d, generator: generator).to(type);
        var times = new List<double>();
        for (var i = 0; i < repeats + 3; i++)
        {
            using var inner = NewDisposeScope();
            var clock = Stopwatch.StartNew();
            x.matmul(wEnc);
            features.matmul(wDec);
            features.t().matmul(gradOut);
            gradOut.matmul(wDec.t());
            x.t().matmul(features);
            if (i >= 3) times.Add(clock.Elapsed.TotalSeconds);
        }
        return BenchMath.Median(times);
    }
}
