using Sae.Core;
using Sae.Core.Native;
using Sae.Core.Training;
using TorchSharp;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Sae.Games.BoardState;
using Sae.Metrics.Supervised;
using static TorchSharp.torch;

namespace Sae.Cli.Commands;

/// <summary>
/// <c>sae bench eval-supervised</c>: coverage and board reconstruction (counts, coverage, feature labels,
/// labelled-feature predictions and scores) on synthetic SAE-like data, timed end to end.
/// </summary>
internal static class EvalSupervisedBenchCommand
{
    public static Command Create()
    {
        var features = new Option<int>("--features") { Description = "Features F.", DefaultValueFactory = _ => PaperRecipe.Features };
        var positions = new Option<int>("--positions") { Description = "Positions per split (train and test each).", DefaultValueFactory = _ => 20_000 };
        var elements = new Option<int>("--elements") { Description = "Label elements S (squares x classes).", DefaultValueFactory = _ => 768 };
        var classes = new Option<int>("--classes") { Description = "Classes per square: each square has exactly one true class, as in a one-hot BSP.", DefaultValueFactory = _ => 12 };
        var noiseL0 = new Option<int>("--noise-l0") { Description = "Mean number of features firing at random per position, on top of the planted ones.", DefaultValueFactory = _ => 40 };
        var runs = new Option<int>("--runs") { Description = "Timed runs; the median is reported.", DefaultValueFactory = _ => 3 };
        var seed = new Option<long>("--seed") { Description = "Seed of the synthetic data.", DefaultValueFactory = _ => 42 };
        var command = new Command("eval-supervised",
            "Time coverage + board reconstruction on synthetic data: feature i < S fires strongly (p = 0.9) when element i is true, every feature also fires weakly at random; prints, last, {\"seconds\": …}.")
        {
            features, positions, elements, classes, noiseL0, runs, seed,
        };
        CommandAction.Set(command, (parseResult, cancellationToken) =>
        {
            var f = OptionValues.AtLeastOne(parseResult, features);
            var n = OptionValues.AtLeastOne(parseResult, positions);
            var s = OptionValues.AtLeastOne(parseResult, elements);
            var c = OptionValues.AtLeastOne(parseResult, classes);
            var runCount = OptionValues.AtLeastOne(parseResult, runs);
            if (s % c != 0) throw new ArgumentException($"--elements {s} is not a whole number of squares of --classes {c}.");
            var error = parseResult.InvocationConfiguration.Error;
            using var generator = new Generator((ulong)parseResult.GetValue(seed), CPU);
            var noiseRate = Math.Min(1.0, parseResult.GetValue(noiseL0) / (double)f);
            using var trainLabels = Labels(generator, n, s, c);
            using var testLabels = Labels(generator, n, s, c);
            using var trainActs = Activations(generator, trainLabels, f, noiseRate);
            using var testActs = Activations(generator, testLabels, f, noiseRate);
            var bsp = new BspSlice("synthetic", 0, new BoardStateShape(1, s / c, c));
            using (var active = trainActs.gt(Scalars.Zero))
            using (var l0 = active.sum(type: ScalarType.Float64))
                error.WriteLine($"eval-supervised: F={f}, {n:N0} train + {n:N0} test positions, S={s} ({s / c} squares x {c} classes), L0 {l0.item<double>() / n:F1}");
            var times = new List<double>();
            for (var run = 0; run < runCount; run++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var clock = Stopwatch.StartNew();
                var result = SupervisedEvaluation.Run(trainActs, trainLabels, testActs, testLabels, [bsp],
                    progress: new InlineProgress<SupervisedStage>(stage => error.WriteLine($"  {stage.Stage}: {stage.Elapsed.TotalSeconds:F2} s")),
                    cancellationToken: cancellationToken);
                times.Add(clock.Elapsed.TotalSeconds);
                var b = result.Bsps[0];
                error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"run {run + 1}: {clock.Elapsed.TotalSeconds:F2} s; alive {result.AliveFeatures}, coverage {b.Coverage.Coverage:F4}, reconstruction F1 {b.Reconstruction.F1:F4} at t={b.BestThreshold:0.0}"));
            }
            error.WriteLine($"peak resident memory {PeakResidentMegabytes():N0} MB");
            parseResult.InvocationConfiguration.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{{\"seconds\": {BenchMath.Median(times):F2}}}"));
            return 0;
        });
        return command;
    }

    /// <summary>One true class per square, uniformly: uint8 [n, squares · classes].</summary>
    private static Tensor Labels(Generator generator, int n, int elements, int classes)
    {
        using var scope = NewDisposeScope();
        var cls = randint(0, classes, [n, elements / classes], generator: generator);
        return nn.functional.one_hot(cls, classes).view(n, elements).to(ScalarType.Byte).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Feature i &lt; S fires (value in [1, 2)) with probability 0.9 where element i is true; every feature
    /// also fires at <paramref name="noiseRate"/> (value in [0, 1)), so the planted features are precise
    /// only above half their maximum, as real features are at some threshold.
    /// </summary>
    private static Tensor Activations(Generator generator, Tensor labels, int features, double noiseRate)
    {
        using var scope = NewDisposeScope();
        var n = labels.shape[0];
        var planted = Math.Min(features, (int)labels.shape[1]);
        using var noise = noiseRate.ToScalar();
        using var kept = 0.9.ToScalar();
        var acts = rand([n, features], generator: generator).mul_(rand([n, features], generator: generator).lt(noise));
        var signal = labels.narrow(1, 0, planted).to(float32)
            .mul_(rand([n, planted], generator: generator).lt(kept))
            .mul_(rand([n, planted], generator: generator).add_(Scalars.One, Scalars.One));
        acts.narrow(1, 0, planted).copy_(maximum(acts.narrow(1, 0, planted), signal));
        return acts.MoveToOuterDisposeScope();
    }

    private static long PeakResidentMegabytes() =>
        File.ReadLines("/proc/self/status").Where(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024).FirstOrDefault();

}
