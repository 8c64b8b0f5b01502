namespace Sae.Metrics.Experiments;

/// <summary>Where an experiment is: the step's name and how far through it (Done of Total units; Total 0 when not counted).</summary>
/// <param name="Step">The step, e.g. "train model".</param>
/// <param name="Done">Units done.</param>
/// <param name="Total">Units in all.</param>
/// <param name="Unit">What is counted: steps, games, …</param>
public sealed record ExperimentProgress(string Step, long Done, long Total, string Unit);
