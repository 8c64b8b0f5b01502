using Sae.Core.Training;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Sae.Core.LanguageModels;
using Sae.Core.Native;
using static TorchSharp.torch;

namespace Sae.Cli.Commands;

/// <summary>
/// <c>sae bench lm-forward</c>: batched forward passes of a random nanoGPT-shaped model without
/// autograd (what activation collection runs), or with <c>--train</c> whole training steps.
/// </summary>
internal static class LmBenchCommand
{
    public static Command Create()
    {
        var layers = new Option<int>("--layers") { Description = "Transformer blocks (default: OthelloGPT's).", DefaultValueFactory = _ => GptConfig.OthelloGpt.Layers };
        var dModel = new Option<int>("--d-model") { Description = "Residual stream width.", DefaultValueFactory = _ => GptConfig.OthelloGpt.ModelDimension };
        var heads = new Option<int?>("--heads") { Description = "Attention heads (default d-model / 64)." };
        var ctx = new Option<int>("--ctx") { Description = "Tokens per sequence.", DefaultValueFactory = _ => GptConfig.OthelloGpt.ContextLength };
        var batch = new Option<int>("--batch") { Description = "Sequences per pass.", DefaultValueFactory = _ => 64 };
        var vocab = new Option<int>("--vocab") { Description = "Vocabulary size.", DefaultValueFactory = _ => GptConfig.OthelloGpt.VocabularySize };
        var steps = new Option<int>("--steps") { Description = "Timed passes; the median is reported.", DefaultValueFactory = _ => 10 };
        var dtype = ProductTypeOption.Create("float32", " bfloat16 is slow on CPUs without bfloat16 units.");
        var threads = ThreadsOption.Create();
        var train = new Option<bool>("--train") { Description = "Time training steps (forward, backward, AdamW) instead of forward passes." };
        var command = new Command("lm-forward", "Tokens per second of a model's batched forward pass (no autograd); prints, last, {\"tokens_per_second\": …}.")
        {
            layers, dModel, heads, ctx, batch, vocab, steps, dtype, train, threads,
        };
        CommandAction.Set(command, (parseResult, cancellationToken) =>
        {
            ThreadsOption.Apply(parseResult, threads);
            var d = OptionValues.AtLeastOne(parseResult, dModel);
            var config = new GptConfig
            {
                Layers = OptionValues.AtLeastOne(parseResult, layers),
                ModelDimension = d,
                Heads = parseResult.GetValue(heads) ?? Math.Max(1, d / 64),
                ContextLength = OptionValues.AtLeastOne(parseResult, ctx),
                VocabularySize = OptionValues.AtLeastOne(parseResult, vocab),
            };
            config.Validate();
            var b = OptionValues.AtLeastOne(parseResult, batch);
            var s = OptionValues.AtLeastOne(parseResult, steps);
            var training = parseResult.GetValue(train);
            var products = ProductTypeOption.Get(parseResult, dtype);
            GlibcAllocator.TuneForTraining();
            var error = parseResult.InvocationConfiguration.Error;
            error.WriteLine($"lm-forward: {config.Layers} layers, d_model {d}, {config.Heads} heads, ctx {config.ContextLength}, batch {b}, products in {ProductPrecision.Name(products)}{(training ? ", training steps" : "")}, {get_num_threads()} threads, {TorchBackend.EnsureLoaded()}");

            using var model = new GptModel(config, seed: 1) { ProductType = products };
            using var tokens = randint(config.VocabularySize, [b, config.ContextLength], generator: new Generator(2, CPU));
            using var targets = randint(config.VocabularySize, [b, config.ContextLength], generator: new Generator(3, CPU));
            using var optimizer = training ? optim.AdamW(model.Parameters.Values, 1e-4) : null;
            void Pass()
            {
                using var scope = NewDisposeScope();
                if (optimizer is null)
                {
                    using var noGrad = no_grad();
                    model.Logits(tokens);
                    return;
                }
                optimizer.zero_grad();
                model.Loss(tokens, targets).backward();
                AdamStep.Apply(optimizer);
            }
            for (var i = 0; i < Math.Max(2, s / 5); i++) Pass();
            var times = new List<double>();
            for (var i = 0; i < s; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var clock = Stopwatch.StartNew();
                Pass();
                times.Add(clock.Elapsed.TotalSeconds);
            }
            var seconds = BenchMath.Median(times);
            var tokensPerSecond = b * config.ContextLength / seconds;
            // Multiply-adds per token: the blocks' matrices, the unembedding, and attention's two products.
            var flopsPerToken = 2.0 * (config.Layers * (4.0 * d * d + 2.0 * d * config.EffectiveMlpDimension + 2.0 * config.ContextLength * d) + (double)config.VocabularySize * d);
            if (training) flopsPerToken *= 3;
            error.WriteLine($"{seconds * 1000:F1} ms per pass (median of {s}); {tokensPerSecond * flopsPerToken / 1e9:F1} GFLOP/s in matrix products");
            parseResult.InvocationConfiguration.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{{\"tokens_per_second\": {Math.Round(tokensPerSecond)}}}"));
            return 0;
        });
        return command;
    }
}
