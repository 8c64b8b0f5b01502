namespace Sae.Core.Training;

/// <summary>What <see cref="SaeTraining.Run"/> did.</summary>
/// <param name="StepsTaken">Steps taken by this call (fewer than the total after a resume).</param>
/// <param name="InputScale">The factor the activations were multiplied by (1 unless <see cref="TrainingOptions.NormalizeActivations"/>).</param>
public sealed record TrainingResult(long StepsTaken, double InputScale);
