namespace Sae.Core.Training;

/// <summary>Reported after every step of <see cref="SaeTraining.Run"/>.</summary>
/// <param name="Step">The 0-based step just taken.</param>
/// <param name="Steps">The total number of steps.</param>
/// <param name="TokensPerSecond">Activations per second since this run (or resume) started.</param>
/// <param name="Metrics">Each trainer's measurements of this step, in trainer order.</param>
public sealed record TrainingProgress(long Step, long Steps, double TokensPerSecond, IReadOnlyList<TrainingStepMetrics> Metrics);
