using System.Text.Json.Serialization;

namespace Sae.Core.LanguageModels;

/// <summary>
/// How <see cref="GptTraining"/> trains: AdamW (weight decay on matrices and embeddings only, as
/// nanoGPT), learning-rate warm-up then cosine decay to a tenth, gradient-norm clipping, batches of
/// sequences drawn with replacement from a seed.
/// </summary>
public sealed record GptTrainingOptions
{
    /// <summary>Optimiser steps (3,500 by default: with legal-move targets, a 4 × 128 Othello model then reaches a legal-move rate of 0.95 in about 27 minutes on an idle 2-core CPU).</summary>
    [JsonPropertyName("steps")] public long Steps { get; init; } = 3500;

    /// <summary>Sequences per step.</summary>
    [JsonPropertyName("batch_size")] public int BatchSize { get; init; } = 64;

    /// <summary>Peak learning rate.</summary>
    [JsonPropertyName("learning_rate")] public double LearningRate { get; init; } = 2e-3;

    /// <summary>Linear warm-up steps.</summary>
    [JsonPropertyName("warmup_steps")] public long WarmupSteps { get; init; } = 100;

    /// <summary>The learning rate's floor at the end of the cosine, as a fraction of the peak.</summary>
    [JsonPropertyName("minimum_lr_factor")] public double MinimumLearningRateFactor { get; init; } = 0.1;

    /// <summary>AdamW's decoupled weight decay, applied to parameters of two or more dimensions.</summary>
    [JsonPropertyName("weight_decay")] public double WeightDecay { get; init; } = 0.1;

    /// <summary>Adam's β1.</summary>
    [JsonPropertyName("beta1")] public double Beta1 { get; init; } = 0.9;

    /// <summary>Adam's β2 (nanoGPT's small-model setting).</summary>
    [JsonPropertyName("beta2")] public double Beta2 { get; init; } = 0.99;

    /// <summary>Largest global gradient norm; 0 turns clipping off.</summary>
    [JsonPropertyName("grad_clip")] public double GradientClip { get; init; } = 1.0;

    /// <summary>Seed of the initial weights and of the batches.</summary>
    [JsonPropertyName("seed")] public long Seed { get; init; } = 42;

    /// <summary>Write a checkpoint every this many steps when a checkpoint directory is given (0: only at the end).</summary>
    [JsonPropertyName("checkpoint_every")] public long CheckpointEvery { get; init; } = 500;

    /// <summary>
    /// Tune glibc's malloc for training before the first step (<see cref="Native.GlibcAllocator.TuneForTraining"/>): a
    /// process-wide setting that stays for the life of the process. True by default; false leaves the allocator alone.
    /// Not part of a run's recorded configuration: it changes speed, not results.
    /// </summary>
    [JsonIgnore] public bool TuneAllocator { get; init; } = true;

    /// <summary>Throws unless the options make sense.</summary>
    /// <exception cref="ArgumentException">A count is not positive, or a rate or factor is out of range.</exception>
    public void Validate()
    {
        if (Steps < 1 || BatchSize < 1) throw new ArgumentException($"Steps ({Steps}) and batch size ({BatchSize}) must be positive.");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) throw new ArgumentException($"The learning rate must be positive; got {LearningRate}.");
        if (WarmupSteps < 0 || CheckpointEvery < 0 || WeightDecay < 0 || GradientClip < 0 || !(MinimumLearningRateFactor is >= 0 and <= 1))
            throw new ArgumentException("Warm-up, checkpoint interval, weight decay and clipping must not be negative, and the minimum factor must be in [0, 1].");
        if (!(Beta1 is >= 0 and < 1) || !(Beta2 is >= 0 and < 1)) throw new ArgumentException($"Adam's betas must be in [0, 1); got {Beta1}, {Beta2}.");
    }
}
