using System.Diagnostics;
using Sae.Core.Activations;
using Sae.Core.Native;
using static TorchSharp.torch;
using TorchSharp;

namespace Sae.Core.Training;

/// <summary>
/// Trains several SAEs from one activation stream: each batch is read once and given to every trainer
/// (a sweep over penalties and architectures, as the reference does), with progress, cancellation,
/// checkpoints and resumption that reproduces an uninterrupted run bit for bit.
/// </summary>
public static class SaeTraining
{
    /// <summary>Activation tables of at most this many values (1 GiB of float32) are checked for NaN and infinities before training starts.</summary>
    public const long WholeCheckLimit = 1L << 28;

    /// <summary>
    /// Runs the trainers for <see cref="TrainingOptions.Steps"/> steps on batches of
    /// <paramref name="source"/>, resuming from the checkpoint in
    /// <see cref="TrainingOptions.CheckpointDirectory"/> if there is one. Tunes glibc's allocator for training first
    /// when <see cref="TrainingOptions.TuneAllocator"/> is set (the default). Returns the number of steps taken now.
    /// </summary>
    /// <exception cref="ArgumentException">The trainers' SAEs do not take activations of the source's dimension.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the last checkpoint stays for resuming.</exception>
    /// <exception cref="NonFiniteActivationException">An activation is NaN or infinite (before the first step, or before the step that would read it).</exception>
    /// <exception cref="NonFiniteTrainingException">A trainer's loss became NaN or infinite; its weights were not updated with it, and the last checkpoint stays.</exception>
    public static TrainingResult Run(IReadOnlyList<SaeTrainer> trainers, IActivationSource source, TrainingOptions options,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (trainers.Count == 0) throw new ArgumentException("Give at least one trainer.", nameof(trainers));
        foreach (var trainer in trainers)
            if (trainer.Sae.InputDimension != source.Dimension)
                throw new ArgumentException($"A {trainer.Sae.Architecture} SAE takes d = {trainer.Sae.InputDimension}; the activations have d = {source.Dimension}.");
        if (options.TuneAllocator) GlibcAllocator.TuneForTraining();
        // A table that can be read in a moment is checked whole before the first step; a larger one batch by
        // batch (ActivationBatches), still before any step takes a non-finite row.
        var checkedWhole = source.Count * source.Dimension <= WholeCheckLimit;
        if (checkedWhole) FiniteValues.Check(source, cancellationToken);

        var first = 0L;
        if (options.CheckpointDirectory is { } directory && TrainingCheckpoint.Restore(directory, trainers, options.OnDamagedCheckpoint) is { } saved)
            first = saved + 1;

        var scale = options.NormalizeActivations ? InputScale(source) : 1.0;
        using var batches = new ActivationBatches(source, options.BatchSize, options.Seed, trainers[0].Sae.Device, checkFinite: !checkedWhole);
        // The trainers step one after another, so those on one device share their work tensors.
        var shared = new Dictionary<string, StepBuffers>();
        foreach (var trainer in trainers)
        {
            var key = trainer.Sae.Device.ToString();
            if (!shared.TryGetValue(key, out var buffers)) shared[key] = buffers = new StepBuffers(trainer.Sae.Device);
            trainer.SharedBuffers = buffers;
        }
        try
        {
            return Steps(trainers, options, batches, first, scale, progress, cancellationToken);
        }
        finally
        {
            foreach (var trainer in trainers) trainer.SharedBuffers = null;
            foreach (var buffers in shared.Values) buffers.Dispose();
        }
    }

    private static TrainingResult Steps(IReadOnlyList<SaeTrainer> trainers, TrainingOptions options, ActivationBatches batches, long first, double scale,
        IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var scaleFactor = scale.ToScalar();
        var metrics = new TrainingStepMetrics[trainers.Count];
        for (var step = first; step < options.Steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using (var scope = NewDisposeScope())
            {
                var batch = batches.Batch(step);
                if (scale != 1.0) batch.mul_(scaleFactor);
                for (var i = 0; i < trainers.Count; i++) metrics[i] = trainers[i].Step(batch, step);
            }
            var done = step + 1;
            if (options is { CheckpointEvery: > 0, CheckpointDirectory: { } checkpoints } && (done % options.CheckpointEvery == 0 || done == options.Steps))
                TrainingCheckpoint.Save(checkpoints, step, trainers);
            progress?.Report(new TrainingProgress(step, options.Steps, (done - first) * options.BatchSize / clock.Elapsed.TotalSeconds, [.. metrics]));
        }
        return new TrainingResult(Math.Max(0, options.Steps - first), scale);
    }

    /// <summary>1 / √(mean ‖x‖²) over the first 65,536 rows (all of them if fewer): makes the mean squared norm 1.</summary>
    public static double InputScale(IActivationSource source)
    {
        var rows = (int)Math.Min(source.Count, 65_536);
        var d = source.Dimension;
        var buffer = new float[d];
        Span<long> one = stackalloc long[1];
        double sum = 0;
        for (var r = 0; r < rows; r++)
        {
            one[0] = r;
            source.CopyRows(one, buffer);
            foreach (var v in buffer) sum += (double)v * v;
        }
        var meanSquaredNorm = sum / rows;
        if (!(meanSquaredNorm > 0) || double.IsInfinity(meanSquaredNorm))
            throw new ArgumentException($"Cannot normalise activations whose mean squared norm is {meanSquaredNorm}.");
        return 1 / Math.Sqrt(meanSquaredNorm);
    }
}
