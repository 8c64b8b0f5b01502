using Sae.Metrics.Experiments;

namespace Sae.Metrics.Slurm;

/// <summary>One step of a Slurm run and where it stands.</summary>
/// <param name="Step">The step's name, e.g. "train SAEs 2 of 3".</param>
/// <param name="Stage">Its stage.</param>
/// <param name="TaskId">The Slurm id of the task that runs it (<c>ID</c>, or <c>ID_TASK</c> in an array); null when none was submitted.</param>
/// <param name="State">Where it stands.</param>
/// <param name="Message">Why it failed, or Slurm's word for its queue state; null when there is nothing to add.</param>
public sealed record SlurmStepStatus(string Step, ExperimentStage Stage, string? TaskId, SlurmStepState State, string? Message);
