using Sae.Core.Activations;
using System.Diagnostics;
using System.Text.Json;
using Sae.Core.IO;
using Sae.Core.Native;
using Sae.Core.Training;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Sae.Core.LanguageModels;

/// <summary>
/// Trains a <see cref="GptModel"/> on next-token prediction: against the sampled next tokens, or, when
/// the data carries them (<see cref="TokenSequences.HasTargetChoices"/>), against the distributions
/// the next tokens were drawn from (<see cref="GptModel.ExpectedLoss"/>). The batch of step s is drawn from
/// (seed, s) alone, and a checkpoint holds the weights, AdamW's state and the step, so a run resumed
/// from a checkpoint takes the same steps as one that was never interrupted.
/// </summary>
public static class GptTraining
{
    private const string StateFile = "state.json";
    private const string OptimizerFile = "optimizer.bin";

    /// <summary>
    /// Trains <paramref name="model"/> in place for <see cref="GptTrainingOptions.Steps"/> steps on
    /// <paramref name="data"/>. With <paramref name="checkpointDirectory"/> set, resumes from the
    /// checkpoint found there and writes one every <see cref="GptTrainingOptions.CheckpointEvery"/> steps
    /// and on cancellation. Returns the mean loss of the last 100 steps run. A damaged checkpoint (a file
    /// missing or of another size than written, a state that is not JSON) is set aside as
    /// <c>DIRECTORY.damaged</c> and reported to <paramref name="onDamagedCheckpoint"/>; training then resumes
    /// from the previous checkpoint if one is beside it, else starts afresh.
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled (after checkpointing, when a directory is given).</exception>
    /// <exception cref="NonFiniteTrainingException">The loss became NaN or infinite; the weights were not updated with that step, and the last checkpoint stays.</exception>
    public static double Train(GptModel model, TokenSequences data, GptTrainingOptions options, string? checkpointDirectory = null,
        IProgress<GptTrainingProgress>? progress = null, CancellationToken cancellationToken = default, Action<DamagedCheckpoint>? onDamagedCheckpoint = null)
    {
        options.Validate();
        if (data.Length - 1 > model.Config.ContextLength)
            throw new ArgumentException($"Sequences of {data.Length} tokens give {data.Length - 1} inputs; the model's context is {model.Config.ContextLength}.", nameof(data));
        if (data.Count == 0) throw new ArgumentException("There are no sequences to train on.", nameof(data));
        if (options.TuneAllocator) GlibcAllocator.TuneForTraining();

        var parameters = model.Parameters.Values.ToList();
        var decayed = parameters.Where(p => p.dim() >= 2).ToList();
        var plain = parameters.Where(p => p.dim() < 2).ToList();
        using var optimizer = optim.AdamW(
            [
                new AdamW.ParamGroup(decayed, options.LearningRate, options.Beta1, options.Beta2, 1e-8, options.WeightDecay, false, false),
                new AdamW.ParamGroup(plain, options.LearningRate, options.Beta1, options.Beta2, 1e-8, 0.0, false, false),
            ],
            options.LearningRate, options.Beta1, options.Beta2);
        var schedule = new WarmupCosineSchedule(options.WarmupSteps, options.Steps, options.MinimumLearningRateFactor);

        var first = checkpointDirectory is null ? 0 : Restore(checkpointDirectory, model, optimizer, onDamagedCheckpoint);
        var recent = new Queue<double>();
        var indices = new int[options.BatchSize];
        using var buffers = new SequenceBatchBuffers(data, options.BatchSize, model.Config.VocabularySize, model.Device);
        var clock = Stopwatch.StartNew();
        long tokens = 0;
        for (var step = first; step < options.Steps; step++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                if (checkpointDirectory is not null && step > first) Save(checkpointDirectory, model, optimizer, step);
                cancellationToken.ThrowIfCancellationRequested();
            }
            using var scope = NewDisposeScope();
            var lr = options.LearningRate * schedule.ValueAt(step);
            foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
            DrawBatch(options.Seed, step, data.Count, indices);
            var (inputs, targets, distributions) = buffers.Fill(data, indices);
            optimizer.zero_grad();
            var loss = distributions is not null ? model.ExpectedLoss(inputs, distributions) : model.Loss(inputs, targets);
            var value = loss.item<float>();
            if (!float.IsFinite(value)) throw new NonFiniteTrainingException("the language model's training", step, "loss", value);
            loss.backward();
            if (options.GradientClip > 0) nn.utils.clip_grad_norm_(parameters, options.GradientClip);
            AdamStep.Apply(optimizer);
            recent.Enqueue(value);
            if (recent.Count > 100) recent.Dequeue();
            tokens += targets.ne(Scalars.MinusOne).sum().item<long>();
            progress?.Report(new GptTrainingProgress(step, options.Steps, value, lr, tokens / Math.Max(clock.Elapsed.TotalSeconds, 1e-9)));
            if (checkpointDirectory is not null && options.CheckpointEvery > 0 && (step + 1) % options.CheckpointEvery == 0)
                Save(checkpointDirectory, model, optimizer, step + 1);
        }
        if (checkpointDirectory is not null && first < options.Steps) Save(checkpointDirectory, model, optimizer, options.Steps);
        return recent.Count == 0 ? double.NaN : recent.Average();
    }

    /// <summary>The sequence indices of step <paramref name="step"/>: uniform with replacement, from (seed, step) only.</summary>
    private static void DrawBatch(long seed, long step, int count, int[] indices)
    {
        var state = (ulong)seed * 0x9E3779B97F4A7C15UL ^ (ulong)step * 0xD1B54A32D192ED03UL;
        for (var i = 0; i < indices.Length; i++)
        {
            state += 0x9E3779B97F4A7C15UL;
            var z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            indices[i] = (int)(((z >> 32) * (ulong)count) >> 32);
        }
    }

    private static void Save(string directory, GptModel model, AdamW optimizer, long step)
    {
        if (FiniteValues.FirstNonFiniteWeight(model.Parameters) is { } bad)
            throw new NonFiniteTrainingException("the language model's training", step - 1, bad.Name, bad.Value);
        AtomicDirectory.Replace(directory, fresh =>
        {
            GptFiles.Save(model, fresh);
            optimizer.save_state_dict(Path.Combine(fresh, OptimizerFile));
            File.WriteAllText(Path.Combine(fresh, StateFile), JsonSerializer.Serialize(new CheckpointState(step, CheckpointFolder.FileSizes(fresh))));
        });
    }

    private static long Restore(string directory, GptModel model, AdamW optimizer, Action<DamagedCheckpoint>? onDamaged)
    {
        if (CheckpointFolder.Resume<CheckpointState>(directory, StateFile, s => s.Files, onDamaged) is not { } resumed) return 0;
        var (found, state) = resumed;
        if (state.Step < 0) throw new InvalidModelFileException(Path.Combine(found, StateFile), "the checkpoint's step is negative");
        var saved = GptFiles.ReadConfig(found);
        if (saved != model.Config)
            throw new InvalidModelFileException(Path.Combine(found, GptFiles.ConfigFileName), "the checkpoint is of another model shape than this run's");
        var weights = GptFiles.ReadSafetensors(Path.Combine(found, GptFiles.WeightsFileName));
        try
        {
            model.LoadParameters(weights);
        }
        finally
        {
            foreach (var t in weights.Values) t.Dispose();
        }
        optimizer.load_state_dict(Path.Combine(found, OptimizerFile));
        return state.Step;
    }

    /// <summary>The step reached, and the size of each file (absent in checkpoints written before sizes were kept).</summary>
    private sealed record CheckpointState(long Step, IReadOnlyDictionary<string, long>? Files = null);
}
