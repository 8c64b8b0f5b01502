using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Sae.Core.LanguageModels;
using Sae.Core.Native;
using Sae.Core.Training;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Sae.Cli.Commands;

/// <summary>
/// <c>sae bench ops</c>: each operation of a language model's forward pass and of an SAE training step timed alone,
/// in float32 and in bfloat16, so that on any machine one sees which operations pay in bfloat16 (the matrix products,
/// on hardware with bfloat16 units) and which do not (the elementwise ones).
/// </summary>
internal static class OpsBenchCommand
{
    /// <summary>One timed operation: its name, the shapes it works on, and its multiply-add count when it is a product (else 0).</summary>
    private sealed record Operation(string Name, string Shape, double Flops, Func<ScalarType, Action> Prepare);

    public static Command Create()
    {
        var batch = new Option<int>("--batch") { Description = "Sequences per language-model pass.", DefaultValueFactory = _ => 64 };
        var ctx = new Option<int>("--ctx") { Description = "Tokens per sequence (default: OthelloGPT's).", DefaultValueFactory = _ => GptConfig.OthelloGpt.ContextLength };
        var dModel = new Option<int>("--d-model") { Description = "Residual stream width.", DefaultValueFactory = _ => GptConfig.OthelloGpt.ModelDimension };
        var heads = new Option<int?>("--heads") { Description = "Attention heads (default d-model / 64)." };
        var dMlp = new Option<int?>("--d-mlp") { Description = "MLP width (default 4 × d-model)." };
        var saeBatch = new Option<int>("--sae-batch") { Description = "Activations per SAE step.", DefaultValueFactory = _ => 4096 };
        var features = new Option<int>("--features") { Description = "SAE dictionary size F.", DefaultValueFactory = _ => PaperRecipe.Features };
        var repeats = new Option<int>("--repeats") { Description = "Timed runs of each operation; the median is reported.", DefaultValueFactory = _ => 10 };
        var dtype = new Option<string>("--dtype") { Description = "Time in float32, bfloat16, auto (this machine's product type) or all (float32 and bfloat16).", DefaultValueFactory = _ => "all" };
        dtype.AcceptOnlyFromAmong("float32", "bfloat16", "auto", "all");
        var threads = ThreadsOption.Create();
        var command = new Command("ops", "Time each operation of the language model's forward pass and of the SAE step alone, per element type; prints a Markdown table, then {\"ops\": […]}.")
        {
            batch, ctx, dModel, heads, dMlp, saeBatch, features, repeats, dtype, threads,
        };
        CommandAction.Set(command, (parseResult, cancellationToken) =>
        {
            ThreadsOption.Apply(parseResult, threads);
            GlibcAllocator.TuneForTraining();
            var (b, t, d) = (OptionValues.AtLeastOne(parseResult, batch), OptionValues.AtLeastOne(parseResult, ctx), OptionValues.AtLeastOne(parseResult, dModel));
            var h = parseResult.GetValue(heads) ?? Math.Max(1, d / 64);
            if (d % h != 0) throw new ArgumentException($"--heads {h} does not divide --d-model {d}.");
            var m = parseResult.GetValue(dMlp) ?? 4 * d;
            var (n, f) = (OptionValues.AtLeastOne(parseResult, saeBatch), OptionValues.AtLeastOne(parseResult, features));
            var runs = OptionValues.AtLeastOne(parseResult, repeats);
            ScalarType[] types = parseResult.GetValue(dtype) switch
            {
                "all" => [ScalarType.Float32, ScalarType.BFloat16],
                var one => [ProductPrecision.Parse(one!)],
            };
            var error = parseResult.InvocationConfiguration.Error;
            error.WriteLine($"ops: batch {b}, ctx {t}, d_model {d}, {h} heads, d_mlp {m}; SAE batch {n}, F {f}; {get_num_threads()} threads, {TorchBackend.EnsureLoaded()}; CPU bfloat16 units: {ProductPrecision.CpuHasBFloat16Units}");

            var operations = Operations(b, t, d, h, m, n, f);
            var output = parseResult.InvocationConfiguration.Output;
            output.WriteLine($"| operation | shape | {string.Join(" | ", types.Select(ProductPrecision.Name))} |");
            output.WriteLine($"|---|---|{string.Concat(types.Select(_ => "---|"))}");
            var results = new JsonArray();
            foreach (var operation in operations)
            {
                var cells = new List<string>();
                var timings = new JsonObject();
                foreach (var type in types)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var seconds = Time(operation, type, runs);
                    var rate = operation.Flops > 0 ? operation.Flops / seconds / 1e9 : (double?)null;
                    cells.Add(rate is { } r ? string.Create(CultureInfo.InvariantCulture, $"{seconds * 1000:F2} ms, {r:F0} GFLOP/s") : string.Create(CultureInfo.InvariantCulture, $"{seconds * 1000:F2} ms"));
                    timings[ProductPrecision.Name(type)] = new JsonObject { ["ms"] = Math.Round(seconds * 1000, 3), ["gflops"] = rate is { } g ? Math.Round(g, 1) : null };
                }
                output.WriteLine($"| {operation.Name} | {operation.Shape} | {string.Join(" | ", cells)} |");
                results.Add(new JsonObject { ["operation"] = operation.Name, ["shape"] = operation.Shape, ["timings"] = timings });
            }
            output.WriteLine(new JsonObject { ["ops"] = results }.ToJsonString());
            return 0;
        });
        return command;
    }

    /// <summary>The median seconds of <paramref name="runs"/> runs of <paramref name="operation"/> on inputs of <paramref name="type"/>, after two warm-up runs.</summary>
    private static double Time(Operation operation, ScalarType type, int runs)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var run = operation.Prepare(type);
        var times = new List<double>();
        for (var i = 0; i < runs + 2; i++)
        {
            using var inner = NewDisposeScope();
            var clock = Stopwatch.StartNew();
            run();
            if (i >= 2) times.Add(clock.Elapsed.TotalSeconds);
        }
        return BenchMath.Median(times);
    }

    private static Tensor Random(ScalarType type, params long[] shape)
    {
        using var generator = new Generator(7, CPU);
        using var normal = randn(shape, generator: generator);
        return normal.to(type);
    }

    private static string Shape(params long[] shape) => $"[{string.Join(", ", shape)}]";

    /// <summary>The language model's operations at its shapes, then the SAE step's.</summary>
    private static List<Operation> Operations(int b, int t, int d, int h, int m, int n, int f)
    {
        long tokens = (long)b * t;
        var mlpFlops = 2.0 * tokens * d * m;
        var attentionFlops = 2.0 * 2 * b * h * t * t * (d / h); // q·kᵀ and the product with v
        var saeFlops = 2.0 * n * d * f;
        return
        [
            new("mm (MLP c_fc)", $"{Shape(tokens, d)}·{Shape(d, m)}", mlpFlops, type =>
            {
                var (x, w) = (Random(type, tokens, d), Random(type, d, m));
                return () => x.mm(w);
            }),
            new("F.linear (MLP c_fc)", $"{Shape(tokens, d)}·{Shape(m, d)}ᵀ", mlpFlops, type =>
            {
                var (x, w) = (Random(type, b, t, d), Random(type, m, d));
                return () => F.linear(x, w);
            }),
            new("matmul (MLP c_fc)", $"{Shape(b, t, d)}·{Shape(d, m)}", mlpFlops, type =>
            {
                var (x, w) = (Random(type, b, t, d), Random(type, d, m));
                return () => x.matmul(w);
            }),
            new("GELU", Shape(b, t, m), 0, type =>
            {
                var x = Random(type, b, t, m);
                return () => F.gelu(x);
            }),
            new("LayerNorm", Shape(b, t, d), 0, type =>
            {
                var (x, gain, bias) = (Random(type, b, t, d), ones(d, type), zeros(d, type));
                return () => F.layer_norm(x, [d], gain, bias, 1e-5);
            }),
            new("causal attention, fused (SDPA)", Shape(b, h, t, d / h), attentionFlops, type => Attention(type, b, h, t, d, AttentionKernel.Fused)),
            new("causal attention, explicit", Shape(b, h, t, d / h), attentionFlops, type => Attention(type, b, h, t, d, AttentionKernel.Explicit)),
            new("residual add", Shape(b, t, d), 0, type =>
            {
                var (x, y) = (Random(type, b, t, d), Random(type, b, t, d));
                return () => x.add(y, Scalars.One);
            }),
            new("float32 → type (4096²)", Shape(4096, 4096), 0, type =>
            {
                var x = Random(ScalarType.Float32, 4096, 4096);
                return () => x.to(type);
            }),
            new("SAE encoder product", $"{Shape(n, d)}·{Shape(d, f)}", saeFlops, type =>
            {
                var (x, w) = (Random(type, n, d), Random(type, d, f));
                return () => x.mm(w);
            }),
            new("SAE decoder product", $"{Shape(n, f)}·{Shape(f, d)}", saeFlops, type =>
            {
                var (a, w) = (Random(type, n, f), Random(type, f, d));
                return () => a.mm(w);
            }),
            new("SAE W_enc gradient product", $"{Shape(n, d)}ᵀ·{Shape(n, f)}", saeFlops, type =>
            {
                var (x, g) = (Random(type, n, d), Random(type, n, f));
                return () =>
                {
                    using var transposed = x.t(); // held through the product's native call
                    transposed.mm(g);
                };
            }),
            new("SAE ReLU (float32 in place)", Shape(n, f), 0, type =>
            {
                var x = Random(ScalarType.Float32, n, f);
                return () => x.relu_();
            }),
            new("SAE [B, F] float32 → type (into a kept buffer)", Shape(n, f), 0, type =>
            {
                var (x, into) = (Random(ScalarType.Float32, n, f), empty(n, f, type));
                return () => into.copy_(x);
            }),
        ];
    }

    private static Action Attention(ScalarType type, int b, int h, int t, int d, AttentionKernel kernel)
    {
        var (q, k, v) = (Random(type, b, h, t, d / h), Random(type, b, h, t, d / h), Random(type, b, h, t, d / h));
        return () => CausalAttention.Compute(q, k, v, kernel);
    }
}
