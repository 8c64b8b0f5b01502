using System.Text.Json.Nodes;
using Sae.Core.Autoencoders;

namespace Sae.Core.Training;

/// <summary>Trainers by name, with the reference recipes' defaults, and the training record saved beside each SAE.</summary>
public static class SaeTrainers
{
    /// <summary>The architectures whose training is implemented: standard, gated, topk, batchtopk, jumprelu.</summary>
    public static IReadOnlyList<string> Trainable { get; } = ["standard", "gated", "topk", "batchtopk", "jumprelu"];

    /// <summary>
    /// A trainer of a fresh <paramref name="architecture"/> SAE, d → <paramref name="features"/>;
    /// <paramref name="penalty"/> is λ (on the L1 norm; on the L0 norm for jumprelu), or k for topk and batchtopk. p-annealing (standard and gated) starts at
    /// <paramref name="annealStart"/> and ends at <paramref name="steps"/>; the learning rate defaults to the
    /// recipe's (3e-4; TopK's 2e-4 / √(F / 2¹⁴)). The SAE is created on <paramref name="device"/> (the CPU by default),
    /// where its trainer then keeps its state. Its matrix products run in <paramref name="productType"/>, by default
    /// <see cref="ProductPrecision.Default"/> for the device (bfloat16 where the CPU has bfloat16 units, else float32).
    /// </summary>
    /// <exception cref="ArgumentException">An unknown architecture, or p-annealing asked of a TopK SAE.</exception>
    public static SaeTrainer Create(string architecture, int dimension, int features, double penalty, bool pAnneal, long steps, long annealStart,
        double? learningRate, long warmup, long seed, long? resampleSteps = null, TorchSharp.torch.Device? device = null,
        TorchSharp.torch.ScalarType? productType = null)
    {
        var products = productType ?? ProductPrecision.Default(device);
        if (!Trainable.Contains(architecture))
            throw new ArgumentException($"Training is implemented for {string.Join(", ", Trainable)} SAEs, not '{architecture}'.", nameof(architecture));
        if (pAnneal && architecture is "topk" or "batchtopk" or "jumprelu")
            throw new ArgumentException("p-annealing applies to standard and gated SAEs; TopK SAEs have no sparsity penalty and JumpReLU's is an L0 norm.", nameof(pAnneal));
        var schedule = new LinearWarmup(warmup, Period: resampleSteps ?? 0);
        var annealing = pAnneal ? new PAnnealing(penalty, steps, annealStart) : null;
        T On<T>(T sae) where T : SparseAutoencoder
        {
            if (device is not null) sae.MoveTo(device);
            return sae;
        }
        return architecture switch
        {
            "topk" => new TopKTrainer(On(new TopKSae(dimension, features, (int)penalty, seed)), learningRate, schedule) { ProductType = products },
            "batchtopk" => new BatchTopKTrainer(On(JumpReluSae.ForBatchTopK(dimension, features, seed)), (int)penalty, learningRate, schedule) { ProductType = products },
            "jumprelu" => new JumpReluTrainer(On(new JumpReluSae(dimension, features, seed)), penalty, learningRate ?? 3e-4, learningRateFactor: schedule) { ProductType = products },
            "gated" => new GatedTrainer(On(new GatedSae(dimension, features, seed)), penalty, learningRate ?? 3e-4, schedule, annealing) { ProductType = products },
            _ => new StandardTrainer(On(new StandardSae(dimension, features, seed)), penalty, learningRate ?? 3e-4, schedule, annealing, resampleSteps: resampleSteps) { ProductType = products },
        };
    }

    /// <summary>What cfg.json records of how <paramref name="trainer"/> trained (dictionary_learning's trainer names).</summary>
    public static JsonObject Describe(SaeTrainer trainer, string architecture, bool pAnneal, TrainingOptions options, long annealStart, long warmup) => new()
    {
        ["trainer"] = architecture switch
        {
            "topk" => "TopKTrainer",
            "batchtopk" => "BatchTopKTrainer",
            "jumprelu" => "JumpReluTrainer",
            "gated" => pAnneal ? "GatedAnnealTrainer" : "GatedSAETrainer",
            _ => pAnneal ? "PAnnealTrainer" : "StandardTrainer",
        },
        ["l1_penalty"] = trainer is TopKTrainer or BatchTopKTrainer or JumpReluTrainer ? null : trainer.Penalty,
        ["l0_penalty"] = trainer is JumpReluTrainer ? trainer.Penalty : null,
        ["bandwidth"] = (trainer as JumpReluTrainer)?.Bandwidth,
        ["k"] = (trainer.Sae as TopKSae)?.K ?? (trainer as BatchTopKTrainer)?.K,
        ["initial_l1_penalty"] = trainer.InitialPenalty,
        ["lr"] = trainer.LearningRate,
        ["warmup_steps"] = warmup,
        ["steps"] = options.Steps,
        ["batch_size"] = options.BatchSize,
        ["seed"] = options.Seed,
        ["product_dtype"] = ProductPrecision.Name(trainer.ProductType),
        ["p_anneal"] = pAnneal ? new JsonObject { ["anneal_start"] = annealStart, ["p_start"] = 1.0, ["p_end"] = 0.2, ["final_p"] = trainer.PAnnealing!.P } : null,
    };
}
