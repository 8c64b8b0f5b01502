namespace Sae.Metrics.Slurm;

/// <summary>Where a Slurm task says it is (<see cref="SlurmTaskState"/>).</summary>
public enum SlurmTaskPhase
{
    /// <summary>Running its steps.</summary>
    Running,

    /// <summary>Finished its steps.</summary>
    Done,

    /// <summary>A step threw; the state's message says what.</summary>
    Failed,

    /// <summary>Stopped by a signal (cancelled, pre-empted or requeued) after writing its checkpoint.</summary>
    Interrupted,
}
