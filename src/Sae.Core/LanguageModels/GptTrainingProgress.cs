namespace Sae.Core.LanguageModels;

/// <summary>Reported after every step of <see cref="GptTraining.Train"/>.</summary>
/// <param name="Step">The 0-based step just taken.</param>
/// <param name="Steps">The total number of steps.</param>
/// <param name="Loss">This step's mean cross-entropy (nats per token).</param>
/// <param name="LearningRate">The learning rate used.</param>
/// <param name="TokensPerSecond">Scored tokens per second since this run (or resume) started.</param>
public sealed record GptTrainingProgress(long Step, long Steps, double Loss, double LearningRate, double TokensPerSecond);
