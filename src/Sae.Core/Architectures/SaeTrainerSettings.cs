using Sae.Core.Training;
using static TorchSharp.torch;

namespace Sae.Core.Architectures;

/// <summary>
/// What every architecture's trainer is set up with besides its own options: the schedule, the seed of the initial
/// weights, p-annealing, and where and in what precision it computes. <see cref="SaeArchitecture.CreateTrainer"/> takes it,
/// and <see cref="SaeArchitecture.Describe"/> records it in cfg.json.
/// </summary>
public sealed record SaeTrainerSettings
{
    /// <summary>The learning rate of the penalty recipes (standard, gated, JumpReLU) when none is given.</summary>
    public const double RecipeLearningRate = 3e-4;

    /// <summary>Steps the run will take (p-annealing ends there).</summary>
    public required long Steps { get; init; }

    /// <summary>Learning-rate warm-up steps (the paper's 1,000 by default).</summary>
    public long Warmup { get; init; } = PaperRecipe.Warmup;

    /// <summary>The seed of the SAE's initial weights.</summary>
    public required long Seed { get; init; }

    /// <summary>The base learning rate; null for the recipe's (<see cref="RecipeLearningRate"/>; TopK's depends on the dictionary size).</summary>
    public double? LearningRate { get; init; }

    /// <summary>Anneal the sparsity exponent p from 1 to 0.2 (architectures with <see cref="SaeArchitecture.AnnealsP"/> only).</summary>
    public bool PAnneal { get; init; }

    /// <summary>The first p-annealing step; null for the reference's: 10,000, or a quarter of the run if that is shorter.</summary>
    public long? AnnealStart { get; init; }

    /// <summary>Resample dead features every this many steps (architectures with <see cref="SaeArchitecture.Resamples"/> only); the learning-rate warm-up restarts after each.</summary>
    public long? ResampleSteps { get; init; }

    /// <summary>Where the SAE is created and its trainer keeps its state; null for the CPU.</summary>
    public Device? Device { get; init; }

    /// <summary>The element type of the step's matrix products; null for <see cref="ProductPrecision.Default"/> on <see cref="Device"/>.</summary>
    public ScalarType? ProductType { get; init; }

    /// <summary>The first p-annealing step in force.</summary>
    public long AnnealStartStep => AnnealStart ?? Math.Min(10_000, Steps / 4);

    /// <summary>The element type of the matrix products in force.</summary>
    public ScalarType Products => ProductType ?? ProductPrecision.Default(Device);

    /// <summary>The learning-rate factor by step: a linear warm-up, restarted after every resampling.</summary>
    public IAnnealingSchedule LearningRateFactor => new LinearWarmup(Warmup, Period: ResampleSteps ?? 0);

    /// <summary>p-annealing of a penalty starting at <paramref name="penalty"/>, or null when <see cref="PAnneal"/> is off.</summary>
    public PAnnealing? PAnnealing(double penalty) => PAnneal ? new PAnnealing(penalty, Steps, AnnealStartStep) : null;
}
