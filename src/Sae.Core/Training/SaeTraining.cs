using System.Diagnostics;
using Sae.Core.Activations;
using Sae.Core.Native;
using static TorchSharp.torch;

namespace Sae.Core.Training;

/// <summary>
/// Trains several SAEs from one activation stream: each batch is read once and given to every trainer
/// (a sweep over penalties and architectures, as the reference does), with progress, cancellation,
/// checkpoints and resumption that reproduces an uninterrupted run bit for bit.
/// </summary>
public static class SaeTraining
{
    /// <summary>
    /// Runs the trainers for <see cref="TrainingOptions.Steps"/> steps on batches of
    /// <paramref name="source"/>, resuming from the checkpoint in
    /// <see cref="TrainingOptions.CheckpointDirectory"/> if there is one. Arranges glibc's allocator
    /// for training first (see <see cref="GlibcAllocator"/>). Returns the number of steps taken now.
    /// </summary>
    /// <exception cref="ArgumentException">The trainers' SAEs do not take activations of the source's dimension.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the last checkpoint stays for resuming.</exception>
    public static long Run(IReadOnlyList<SaeTrainer> trainers, IActivationSource source, TrainingOptions options,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (trainers.Count == 0) throw new ArgumentException("Give at least one trainer.", nameof(trainers));
        foreach (var trainer in trainers)
            if (trainer.Sae.InputDimension != source.Dimension)
                throw new ArgumentException($"A {trainer.Sae.Architecture} SAE takes d = {trainer.Sae.InputDimension}; the activations have d = {source.Dimension}.");
        GlibcAllocator.TuneForTraining();

        var first = 0L;
        if (options.CheckpointDirectory is { } directory && TrainingCheckpoint.Restore(directory, trainers) is { } saved)
            first = saved + 1;

        using var batches = new ActivationBatches(source, options.BatchSize, options.Seed, trainers[0].Sae.Device);
        var clock = Stopwatch.StartNew();
        var metrics = new TrainingStepMetrics[trainers.Count];
        for (var step = first; step < options.Steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using (var scope = NewDisposeScope())
            {
                var batch = batches.Batch(step);
                for (var i = 0; i < trainers.Count; i++) metrics[i] = trainers[i].Step(batch, step);
            }
            var done = step + 1;
            if (options is { CheckpointEvery: > 0, CheckpointDirectory: { } checkpoints } && (done % options.CheckpointEvery == 0 || done == options.Steps))
                TrainingCheckpoint.Save(checkpoints, step, trainers);
            progress?.Report(new TrainingProgress(step, options.Steps, (done - first) * options.BatchSize / clock.Elapsed.TotalSeconds, [.. metrics]));
        }
        return options.Steps - first;
    }
}
