using Sae.Core.Activations;
using Sae.Core.Autoencoders;

namespace Sae.Core.Training;

/// <summary>
/// The SAE-training step, as <c>sae train</c> and the experiment both take it: create each member's trainer, train them all
/// from one stream of batches (<see cref="SaeTraining.Run"/>, resuming from a checkpoint), and save each SAE with its cfg.json.
/// </summary>
public static class SaeSweepTraining
{
    /// <summary>
    /// Trains <paramref name="members"/>, each F = <paramref name="features"/> on the source's activations, as <paramref name="options"/> says,
    /// then saves each in its <see cref="SaeSweepMember.Directory"/>: its architecture's description of the run in cfg.json, with the input
    /// scale (1 unless <see cref="TrainingOptions.NormalizeActivations"/>, which is folded into the saved weights).
    /// <paramref name="trained"/> is called for each member, with its index and its trainer, just before the SAE is saved, so that what it
    /// writes beside the SAE is there once cfg.json marks the SAE trained. The trainers and their SAEs are disposed at the end.
    /// </summary>
    /// <exception cref="ArgumentException">No members, or a member whose settings its architecture refuses.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the last checkpoint stays for resuming.</exception>
    public static TrainingResult Train(IActivationSource source, int features, IReadOnlyList<SaeSweepMember> members, TrainingOptions options,
        IProgress<TrainingProgress>? progress = null, Action<int, SaeTrainer>? trained = null, CancellationToken cancellationToken = default)
    {
        if (members.Count == 0) throw new ArgumentException("Give at least one SAE to train.", nameof(members));
        var trainers = new List<SaeTrainer>();
        try
        {
            foreach (var member in members) trainers.Add(member.Architecture.CreateTrainer(source.Dimension, features, member.Value, member.Settings));
            var result = SaeTraining.Run(trainers, source, options, progress, cancellationToken);
            for (var i = 0; i < trainers.Count; i++)
            {
                var config = members[i].Architecture.Describe(trainers[i], members[i].Settings, options);
                config["input_scale"] = result.InputScale;
                trained?.Invoke(i, trainers[i]);
                trainers[i].Sae.Save(members[i].Directory, config, result.InputScale);
            }
            return result;
        }
        finally
        {
            foreach (var trainer in trainers) trainer.Dispose();
        }
    }
}
