using Sae.Core.Architectures;

namespace Sae.Core.Training;

/// <summary>Trainers by architecture name, with the reference recipes' defaults, in one call (see <see cref="SaeArchitecture.CreateTrainer"/>).</summary>
public static class SaeTrainers
{
    /// <summary>
    /// A trainer of a fresh <paramref name="architecture"/> SAE (any registered in <see cref="SaeArchitectures"/>), d → <paramref name="features"/>;
    /// <paramref name="penalty"/> is the architecture's sweep value: λ (on the L1 norm; on the L0 norm for jumprelu), or k for topk and batchtopk.
    /// p-annealing (standard and gated) starts at <paramref name="annealStart"/> and ends at <paramref name="steps"/>; the learning rate
    /// defaults to the recipe's (3e-4; TopK's 2e-4 / √(F / 2¹⁴)). The SAE is created on <paramref name="device"/> (the CPU by default),
    /// where its trainer then keeps its state, and the trainer owns it. Its matrix products run in <paramref name="productType"/>, by default
    /// <see cref="ProductPrecision.Default"/> for the device (bfloat16 where the CPU has bfloat16 units, else float32).
    /// </summary>
    /// <exception cref="ArgumentException">An unknown architecture, p-annealing asked of one without it, or a k that is not a whole number.</exception>
    public static SaeTrainer Create(string architecture, int dimension, int features, double penalty, bool pAnneal, long steps, long annealStart,
        double? learningRate, long warmup, long seed, long? resampleSteps = null, TorchSharp.torch.Device? device = null,
        TorchSharp.torch.ScalarType? productType = null) =>
        SaeArchitectures.Get(architecture).CreateTrainer(dimension, features, penalty, new SaeTrainerSettings
        {
            Steps = steps, Warmup = warmup, Seed = seed, LearningRate = learningRate, PAnneal = pAnneal, AnnealStart = annealStart,
            ResampleSteps = resampleSteps, Device = device, ProductType = productType,
        });
}
