using Sae.Core.Architectures;

namespace Sae.Core.Training;

/// <summary>One SAE of a sweep that <see cref="SaeSweepTraining.Train"/> trains: its architecture, its λ or k, its trainer's settings, and the folder it is saved in.</summary>
/// <param name="Architecture">The architecture.</param>
/// <param name="Value">Its sparsity: λ or k, as <see cref="SaeArchitecture.Sparsity"/> says.</param>
/// <param name="Settings">Its trainer's settings (schedule, seed, p-annealing, device).</param>
/// <param name="Directory">Where it is saved: sae_weights.safetensors and cfg.json.</param>
public sealed record SaeSweepMember(SaeArchitecture Architecture, double Value, SaeTrainerSettings Settings, string Directory);
