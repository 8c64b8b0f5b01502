namespace Sae.Metrics.Experiments;

/// <summary>
/// One step of the experiment (<see cref="Experiment.Plan"/>): its name (mostly the progress label it reports, e.g. "train SAEs"),
/// its stage, the run-folder paths it reads and writes, how it knows it is done, and the work itself.
/// </summary>
/// <param name="name">The step's name.</param>
/// <param name="stage">The stage it belongs to.</param>
/// <param name="inputs">The paths it reads (in the run folder).</param>
/// <param name="outputs">The paths it writes (in the run folder).</param>
/// <param name="isDone">Whether its outputs are there.</param>
/// <param name="run">The work.</param>
public sealed class ExperimentStep(string name, ExperimentStage stage, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, Func<bool> isDone, Action run)
{
    /// <summary>The step's name, e.g. "generate games".</summary>
    public string Name { get; } = name;

    /// <summary>The stage the step belongs to: the steps of a stage run in one process (one Slurm job or array task).</summary>
    public ExperimentStage Stage { get; } = stage;

    /// <summary>The paths the step reads, in the run folder.</summary>
    public IReadOnlyList<string> Inputs { get; } = inputs;

    /// <summary>The paths the step writes, in the run folder.</summary>
    public IReadOnlyList<string> Outputs { get; } = outputs;

    /// <summary>Whether the step's work is done (its outputs are there), so that a run skips it.</summary>
    public bool IsDone() => isDone();

    /// <summary>Does the step's work (whether or not it was done before).</summary>
    public void Run() => run();

    /// <inheritdoc/>
    public override string ToString() => Name;
}
