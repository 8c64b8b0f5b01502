using Sae.Core.Activations;
using System.Text.Json;
using System.Text.Json.Serialization;
using Sae.Core.Autoencoders;
using Sae.Core.IO;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Sae.Core.Training;

/// <summary>
/// A checkpoint of several trainers after a step: each SAE's parameters and Adam moments in
/// <c>trainer-{i}.safetensors</c>, and the step, Adam step counts and p-annealing states in
/// <c>state.json</c>. Written into a fresh directory that replaces the previous one by renames, so a
/// crash leaves either the old checkpoint or the new one.
/// </summary>
public static class TrainingCheckpoint
{
    private const string StateFile = "state.json";
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    /// <summary>Saves the trainers' state after 0-based step <paramref name="step"/> into <paramref name="directory"/>.</summary>
    public static void Save(string directory, long step, IReadOnlyList<SaeTrainer> trainers)
    {
        foreach (var trainer in trainers)
            if (FiniteValues.FirstNonFiniteWeight(trainer.Sae.Parameters) is { } bad)
                throw new NonFiniteTrainingException($"the {trainer.Sae.Architecture} SAE's trainer", step, bad.Name, bad.Value);
        AtomicDirectory.Replace(directory, fresh =>
        {
            var states = new List<TrainerState>();
            for (var i = 0; i < trainers.Count; i++)
            {
                var trainer = trainers[i];
                var (count, first, second) = trainer.Optimizer.SaveState();
                var tensors = new Dictionary<string, Tensor>();
                var names = trainer.Sae.Parameters.Keys.ToList();
                for (var j = 0; j < names.Count; j++)
                {
                    tensors[names[j]] = Native.HostTensors.Contiguous(trainer.Sae.Parameters[names[j]]);
                    tensors["adam.m." + names[j]] = first[j];
                    tensors["adam.v." + names[j]] = second[j];
                }
                foreach (var (name, extra) in trainer.ExtraState)
                    tensors["state." + name] = Native.HostTensors.Clone(extra);
                Safetensors.SaveStateDict(Path.Combine(fresh, $"trainer-{i}.safetensors"), tensors);
                foreach (var t in tensors.Values) t.Dispose();
                states.Add(new TrainerState(trainer.Sae.Architecture, count, trainer.PAnnealing?.SaveState()));
            }
            var files = CheckpointFolder.FileSizes(fresh);
            File.WriteAllText(Path.Combine(fresh, StateFile), JsonSerializer.Serialize(new CheckpointState(step, states, files), JsonOptions));
        });
    }

    /// <summary>
    /// Restores the trainers from the checkpoint in <paramref name="directory"/> (or the previous one
    /// an interrupted save left beside it) and returns its step, or null when there is none. A damaged
    /// checkpoint (a file missing, truncated or of another size than written, a state that is not JSON) is
    /// set aside as <c>DIRECTORY.damaged</c> and reported to <paramref name="onDamaged"/>; the previous
    /// checkpoint is then used if there is one, else null is returned and training starts afresh.
    /// </summary>
    /// <exception cref="InvalidSaeFileException">The checkpoint is readable but inconsistent, or was made by other trainers.</exception>
    public static long? Restore(string directory, IReadOnlyList<SaeTrainer> trainers, Action<DamagedCheckpoint>? onDamaged = null)
    {
        if (CheckpointFolder.Resume<CheckpointState>(directory, StateFile, s => s.Files, onDamaged) is not { } found) return null;
        var (full, state) = found;
        var statePath = Path.Combine(full, StateFile);
        if (state.Trainers is null || state.Trainers.Any(t => t?.Architecture is null || t.OptimizerSteps < 0) || state.Step < 0)
            throw new InvalidSaeFileException(statePath, "the checkpoint state lacks its trainers, a trainer's architecture, or a step count of at least 0");
        if (state.Trainers.Count != trainers.Count)
            throw new InvalidSaeFileException(statePath, $"the checkpoint holds {state.Trainers.Count} trainers; this run has {trainers.Count}");
        for (var i = 0; i < trainers.Count; i++)
        {
            var trainer = trainers[i];
            var saved = state.Trainers[i];
            var weights = Path.Combine(full, $"trainer-{i}.safetensors");
            if (saved.Architecture != trainer.Sae.Architecture || (saved.PAnnealing is null) != (trainer.PAnnealing is null))
                throw new InvalidSaeFileException(statePath, $"trainer {i} was a {saved.Architecture} SAE{(saved.PAnnealing is null ? "" : " with p-annealing")}; this run's is {trainer.Sae.Architecture}{(trainer.PAnnealing is null ? "" : " with p-annealing")}");
            var declared = SafetensorsHeader.Read(weights);
            foreach (var (name, shape) in trainer.Sae.ExpectedShapes)
                foreach (var key in new[] { name, "adam.m." + name, "adam.v." + name })
                    if (!declared.TryGetValue(key, out var tensor) || !tensor.Shape.SequenceEqual(shape))
                        throw new InvalidSaeFileException(weights, $"tensor '{key}' is missing or not [{string.Join(", ", shape)}]");
            var tensors = Safetensors.LoadStateDict(weights);
            try
            {
                trainer.Sae.LoadParameters(tensors);
                var names = trainer.Sae.Parameters.Keys.ToList();
                trainer.Optimizer.RestoreState(saved.OptimizerSteps,
                    [.. names.Select(n => tensors["adam.m." + n])], [.. names.Select(n => tensors["adam.v." + n])]);
                foreach (var (name, extra) in trainer.ExtraState)
                {
                    if (!tensors.TryGetValue("state." + name, out var value) || !value.shape.SequenceEqual(extra.shape))
                        throw new InvalidSaeFileException(weights, $"trainer state 'state.{name}' is missing or not [{string.Join(", ", extra.shape)}]");
                    using var noGrad = no_grad();
                    extra.copy_(value);
                }
            }
            finally
            {
                foreach (var t in tensors.Values) t.Dispose();
            }
            if (saved.PAnnealing is { } annealing) trainer.PAnnealing!.RestoreState(annealing);
        }
        return state.Step;
    }

    private sealed record CheckpointState(
        [property: JsonPropertyName("step")] long Step,
        [property: JsonPropertyName("trainers")] IReadOnlyList<TrainerState> Trainers,
        [property: JsonPropertyName("files")] IReadOnlyDictionary<string, long>? Files);

    private sealed record TrainerState(
        [property: JsonPropertyName("architecture")] string Architecture,
        [property: JsonPropertyName("optimizer_steps")] long OptimizerSteps,
        [property: JsonPropertyName("p_annealing")] PAnnealingState? PAnnealing);
}
