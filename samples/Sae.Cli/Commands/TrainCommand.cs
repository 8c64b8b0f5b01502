using Sae.Core;
using System.CommandLine;
using System.Text.Json.Nodes;
using Sae.Core.Activations;
using Sae.Core.Architectures;
using Sae.Core.Autoencoders;
using Sae.Core.Training;

namespace Sae.Cli.Commands;

/// <summary><c>sae train</c>: train one SAE, or a sweep of them from one activation stream.</summary>
internal static class TrainCommand
{
    /// <summary>The library's training options, whose defaults the command's are.</summary>
    private static readonly TrainingOptions Defaults = new();

    public static Command Create()
    {
        var activations = new Option<FileInfo>("--activations") { Description = "Activations: a 2-D float32 .npy file [rows, d], or an activation store directory.", Required = true };
        var arch = new Option<string>("--arch") { Description = "standard, gated, topk, batchtopk (saved as jumprelu) or jumprelu (--l1 is then λ on the L0 norm; its kernel bandwidth 0.001 assumes --normalize).", DefaultValueFactory = _ => SaeArchitectures.Standard.Name };
        var pAnneal = new Option<bool>("--p-anneal") { Description = "Anneal the sparsity exponent p from 1 to 0.2 (docs/reference.md §3)." };
        var l1 = new Option<double[]>("--l1") { Description = "Sparsity penalty λ; give several (or --sweep) to train one SAE per value.", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [0.05] };
        var k = new Option<int[]>("--k") { Description = "Active features of a TopK SAE; give several to train one SAE per value.", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [32] };
        var features = new Option<int>("--features") { Description = "Dictionary size F.", DefaultValueFactory = _ => PaperRecipe.Features };
        var steps = new Option<long>("--steps") { Description = "Training steps.", DefaultValueFactory = _ => Defaults.Steps };
        var batch = new Option<int>("--batch") { Description = "Activations per step.", DefaultValueFactory = _ => Defaults.BatchSize };
        var lr = new Option<double?>("--lr") { Description = "Learning rate (default 3e-4; for topk 2e-4 / sqrt(F / 2^14))." };
        var warmup = new Option<long>("--warmup") { Description = "Learning-rate warm-up steps.", DefaultValueFactory = _ => PaperRecipe.Warmup };
        var annealStart = new Option<long?>("--anneal-start") { Description = "First p-annealing step (default 10000, or a quarter of the run if that is shorter)." };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the initial weights and the batch order.", DefaultValueFactory = _ => Defaults.Seed };
        var checkpointEvery = new Option<long>("--checkpoint-every") { Description = "Checkpoint every N steps into OUT/checkpoint (0: never); a re-run resumes from it.", DefaultValueFactory = _ => Defaults.CheckpointEvery };
        var resample = new Option<long?>("--resample-steps") { Description = "Standard SAEs: resample dead features every N steps (the paper does not)." };
        var normalize = new Option<bool>("--normalize") { Description = "Scale activations to unit mean squared norm while training; the scale is folded into the saved weights." };
        var sweep = new Option<bool>("--sweep") { Description = "Write each SAE to OUT/trainer_I even when only one --l1 is given." };
        var output = new Option<DirectoryInfo>("--out") { Description = "Output directory: sae_weights.safetensors and cfg.json (per trainer under --sweep).", Required = true };
        var device = DeviceOption.Create();
        var threads = ThreadsOption.Create();
        var dtype = ProductTypeOption.Create("auto");
        var command = new Command("train", "Train sparse autoencoders on activations, several at once from one stream.")
        {
            activations, arch, pAnneal, l1, k, features, steps, batch, lr, warmup, annealStart, seed, checkpointEvery, resample, normalize, sweep, output, device, threads, dtype,
        };
        CommandAction.Set(command, (parseResult, cancellationToken) =>
        {
            ThreadsOption.Apply(parseResult, threads);
            var name = parseResult.GetValue(arch)!;
            var architecture = SaeArchitectures.Find(name)
                ?? throw new ArgumentException($"--arch {name}: training is implemented for {string.Join(", ", SaeArchitectures.All.Select(a => a.Name))} SAEs.");
            var topK = architecture.Sparsity == SparsityParameter.K;
            if (parseResult.GetValue(pAnneal) && !architecture.AnnealsP) throw new ArgumentException($"--p-anneal applies to {SaeArchitectures.Names(a => a.AnnealsP)} SAEs.");
            var penalties = topK ? parseResult.GetValue(k)!.Select(v => (double)v).ToArray() : parseResult.GetValue(l1)!;
            var stepCount = parseResult.GetValue(steps);
            var batchSize = parseResult.GetValue(batch);
            var featureCount = parseResult.GetValue(features);
            if (stepCount < 1 || batchSize < 1 || featureCount < 1)
                throw new ArgumentException("--steps, --batch and --features must be at least 1.");
            if (penalties.Length == 0 || penalties.Any(p => !(p >= 0) || double.IsInfinity(p)))
                throw new ArgumentException("--l1 needs finite values of at least 0.");
            if (topK && penalties.Any(v => v < 1 || v > featureCount))
                throw new ArgumentException($"--k needs values between 1 and --features ({featureCount}).");
            var s = parseResult.GetValue(seed);
            var anneal = parseResult.GetValue(pAnneal);
            var outDir = parseResult.GetRequiredValue(output).FullName;
            var separate = penalties.Length > 1 || parseResult.GetValue(sweep);

            var on = DeviceOption.Get(parseResult, device);
            using var source = ActivationSources.Open(parseResult.GetRequiredValue(activations).FullName);
            var resampleSteps = parseResult.GetValue(resample);
            if (resampleSteps is not null && (!architecture.Resamples || resampleSteps < 1))
                throw new ArgumentException($"--resample-steps applies to {SaeArchitectures.Names(a => a.Resamples)} SAEs and must be at least 1.");
            var error = parseResult.InvocationConfiguration.Error;
            error.WriteLine($"training {penalties.Length} {architecture.Name}{(anneal ? " + p-anneal" : "")} SAE(s): d={source.Dimension}, F={featureCount}, {source.Count:N0} activations, {stepCount:N0} steps of {batchSize}");
            var members = penalties.Select((penalty, i) => new SaeSweepMember(architecture, penalty, new SaeTrainerSettings
            {
                Steps = stepCount, Warmup = parseResult.GetValue(warmup), Seed = (long)s + i, LearningRate = parseResult.GetValue(lr), PAnneal = anneal,
                AnnealStart = parseResult.GetValue(annealStart), ResampleSteps = resampleSteps, Device = on, ProductType = ProductTypeOption.Get(parseResult, dtype, on),
            }, separate ? Path.Combine(outDir, $"trainer_{i}") : outDir)).ToList();
            var bar = new ConsoleProgressBar(error, stepCount, "steps");
            var options = new TrainingOptions
            {
                BatchSize = batchSize, Steps = stepCount, Seed = s,
                CheckpointEvery = parseResult.GetValue(checkpointEvery),
                CheckpointDirectory = Path.Combine(outDir, "checkpoint"),
                OnDamagedCheckpoint = damaged => error.WriteLine($"sae: warning: {damaged}"),
                NormalizeActivations = parseResult.GetValue(normalize),
            };
            TrainingStepMetrics[] last = [];
            SaeSweepTraining.Train(source, featureCount, members, options, new InlineProgress<TrainingProgress>(p => { last = [.. p.Metrics]; bar.Report(p.Step + 1); }), (i, trainer) =>
            {
                var m = i < last.Length ? last[i] : null;
                var label = trainer switch
                {
                    TopKTrainer t => $"k={((TopKSae)t.Sae).K}",
                    BatchTopKTrainer b => $"k={b.K}, threshold {FirstThreshold((JumpReluSae)b.Sae):G4}",
                    var other => $"λ={other.Penalty:G4}",
                };
                error.WriteLine($"{members[i].Directory}: {label}{(m is null ? "" : $", last step loss {m.Loss:F4}, L0 {m.L0:F1}")}");
            }, cancellationToken);
            return 0;
        });
        return command;
    }

    /// <summary>The first feature's threshold of a BatchTopK SAE (its progress line shows it).</summary>
    private static float FirstThreshold(JumpReluSae sae)
    {
        using var first = sae.threshold[0];
        return first.item<float>();
    }
}
