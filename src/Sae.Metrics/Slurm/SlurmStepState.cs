namespace Sae.Metrics.Slurm;

/// <summary>Where one step of a Slurm run stands (<see cref="SlurmStatus"/>).</summary>
public enum SlurmStepState
{
    /// <summary>Its outputs are there.</summary>
    Done,

    /// <summary>Its task is running.</summary>
    Running,

    /// <summary>Its task waits in the queue (for resources, for the jobs it depends on, or after a requeue).</summary>
    Pending,

    /// <summary>Its task was stopped by a signal and is not in the queue: submit the run again to continue it.</summary>
    Interrupted,

    /// <summary>Its task failed, or ended without saying so (killed); the status's message and the task's log say more.</summary>
    Failed,

    /// <summary>Its job left the queue without starting it (cancelled, or a job it depends on failed).</summary>
    NotRun,

    /// <summary>No submitted job runs it (the run was not submitted, or the step was done when it was).</summary>
    NotSubmitted,
}
