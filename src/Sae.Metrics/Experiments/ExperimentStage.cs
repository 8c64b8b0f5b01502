namespace Sae.Metrics.Experiments;

/// <summary>
/// Which part of the experiment a step belongs to: the steps of one stage run together in one process (one Slurm job,
/// or one task of an array job for <see cref="TrainSaes"/>), and a stage starts when those it reads from are done.
/// </summary>
public enum ExperimentStage
{
    /// <summary>Generate (or read) the games, and train or load the language model.</summary>
    Prepare,

    /// <summary>Collect the model's residual stream on the SAEs' games (needs <see cref="Prepare"/>).</summary>
    Collect,

    /// <summary>Train the sweep of SAEs; its steps are the sweep's slices, one per task (needs <see cref="Collect"/>).</summary>
    TrainSaes,

    /// <summary>The random-model baseline's activations and SAE (needs <see cref="Prepare"/>).</summary>
    Baselines,

    /// <summary>Evaluate every SAE and baseline and draw the feature views (needs the stages before).</summary>
    Evaluate,

    /// <summary>Write the report from the evaluation records (needs <see cref="Evaluate"/>).</summary>
    Report,
}
