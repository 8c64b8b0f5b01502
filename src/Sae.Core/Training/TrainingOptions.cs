namespace Sae.Core.Training;

/// <summary>How <see cref="SaeTraining.Run"/> feeds and checkpoints its trainers.</summary>
public sealed record TrainingOptions
{
    /// <summary>Activations per step (the paper's 8,192 by default).</summary>
    public int BatchSize { get; init; } = PaperRecipe.BatchSize;

    /// <summary>Steps to train (the paper's 36,621 by default: 300M tokens).</summary>
    public long Steps { get; init; } = PaperRecipe.Steps;

    /// <summary>The seed of the batch order.</summary>
    public ulong Seed { get; init; } = 42;

    /// <summary>Write a checkpoint into <see cref="CheckpointDirectory"/> every this many steps (0: never), and after the last step.</summary>
    public long CheckpointEvery { get; init; } = 1000;

    /// <summary>
    /// Scale the activations by one factor s so that their mean squared norm is 1 (estimated on up to
    /// 65,536 rows). The SAEs then learn on s·x; <see cref="Autoencoders.SaeFiles.Save"/> folds s back into
    /// the weights when given <see cref="TrainingResult.InputScale"/>. The reference does not normalise.
    /// </summary>
    public bool NormalizeActivations { get; init; }

    /// <summary>
    /// Tune glibc's malloc for training before the first step (<see cref="Native.GlibcAllocator.TuneForTraining"/>): large
    /// freed blocks then stay in the heap for reuse rather than going back to the kernel, which saves much of a step's time
    /// on Linux. The setting is process-wide and stays for the life of the process. True by default (the <c>sae</c> command
    /// and the experiment rely on it); false leaves the allocator alone, as does <c>SAE_KEEP_MALLOC_DEFAULTS=1</c> for every
    /// entry point.
    /// </summary>
    public bool TuneAllocator { get; init; } = true;

    /// <summary>Where checkpoints go and are resumed from (null: no checkpoints).</summary>
    public string? CheckpointDirectory { get; init; }

    /// <summary>
    /// Told when the checkpoint to resume from is damaged and was set aside (training then goes on from the
    /// previous checkpoint, or from the start); null to say nothing.
    /// </summary>
    public Action<DamagedCheckpoint>? OnDamagedCheckpoint { get; init; }
}
