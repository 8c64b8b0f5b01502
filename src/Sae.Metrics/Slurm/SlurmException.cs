namespace Sae.Metrics.Slurm;

/// <summary>A Slurm command (sbatch) could not be run or refused a job; the message carries what it said.</summary>
/// <param name="message">What failed, with Slurm's own words.</param>
/// <param name="inner">The error that stopped the command from running, if any.</param>
public sealed class SlurmException(string message, Exception? inner = null) : Exception(message, inner);
