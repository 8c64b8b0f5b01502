using System.Text.Json.Nodes;
using Sae.Core.Autoencoders;
using Sae.Core.Training;

namespace Sae.Core.Architectures;

/// <summary>
/// One SAE architecture, described once (as SAELens's <c>register_sae_class</c>): its name in cfg.json and on the
/// command line, its SAE type, how to create a fresh SAE and trainer, how to create an SAE to load a saved one into,
/// what its trainer records in cfg.json, and its family label in reports. Registered in <see cref="SaeArchitectures"/>,
/// an architecture trains (<see cref="SaeTraining.Run"/>), saves and loads (<see cref="SaeFiles"/>) and is reported
/// like the built-in ones. Derive from <see cref="SaeArchitecture{TSae, TOptions}"/>, which adds the typed members.
/// </summary>
public abstract class SaeArchitecture
{
    /// <summary>
    /// The name in sweeps, on the command line (<c>--arch</c>) and, for an architecture whose SAE saves under its own
    /// name, in cfg.json: <c>standard</c>, <c>gated</c>, <c>topk</c>, <c>batchtopk</c>, <c>jumprelu</c>.
    /// </summary>
    public abstract string Name { get; }

    /// <summary>The family's label in reports and charts: <c>Standard</c>, <c>TopK</c>, <c>BatchTopK</c>, ...</summary>
    public abstract string Family { get; }

    /// <summary>The type of the SAEs it creates and loads.</summary>
    public abstract Type SaeType { get; }

    /// <summary>What the one number a sweep gives each SAE means (λ or k).</summary>
    public abstract SparsityParameter Sparsity { get; }

    /// <summary>Whether its sparsity exponent can be annealed (<see cref="SaeTrainerSettings.PAnneal"/>).</summary>
    public virtual bool AnnealsP => false;

    /// <summary>Whether its trainer resamples dead features (<see cref="SaeTrainerSettings.ResampleSteps"/>).</summary>
    public virtual bool Resamples => false;

    /// <summary>A penalty that gives a usable sparsity on unit-scale activations, for benchmarks of a penalty architecture.</summary>
    public virtual double TypicalPenalty => 0.05;

    /// <summary>The family label of an SAE of this architecture, trained with p-annealing or not: e.g. <c>Gated + p-anneal</c>.</summary>
    public string FamilyLabel(bool pAnneal) => pAnneal ? Family + " + p-anneal" : Family;

    /// <summary>
    /// A trainer of a fresh SAE, d = <paramref name="dimension"/> → F = <paramref name="features"/>, whose sparsity is
    /// <paramref name="value"/> (λ or k, as <see cref="Sparsity"/> says), created on <see cref="SaeTrainerSettings.Device"/>.
    /// The trainer owns the SAE: disposing it disposes the SAE.
    /// </summary>
    /// <exception cref="ArgumentException">p-annealing or resampling asked of an architecture without it, or a value that is not a valid λ or k.</exception>
    public SaeTrainer CreateTrainer(int dimension, int features, double value, SaeTrainerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.PAnneal && !AnnealsP)
            throw new ArgumentException($"p-annealing applies to {SaeArchitectures.Names(a => a.AnnealsP)} SAEs, not {Name}.", nameof(settings));
        if (settings.ResampleSteps is { } every && (!Resamples || every < 1))
            throw new ArgumentException($"Resampling applies to {SaeArchitectures.Names(a => a.Resamples)} SAEs, every 1 step or more; not {Name} every {every}.", nameof(settings));
        return NewTrainer(dimension, features, value, settings);
    }

    /// <summary>A trainer of a fresh SAE, once <see cref="CreateTrainer"/> has checked the settings.</summary>
    private protected abstract SaeTrainer NewTrainer(int dimension, int features, double value, SaeTrainerSettings settings);

    /// <summary>
    /// An untrained SAE of the size and options <paramref name="config"/> (read from <paramref name="path"/>) names,
    /// for <see cref="SaeFiles.Load"/> to copy the saved weights into.
    /// </summary>
    /// <exception cref="InvalidSaeFileException">cfg.json lacks an option the architecture needs, or holds an invalid one.</exception>
    public abstract SparseAutoencoder CreateForLoading(SaeConfig config, string path);

    /// <summary>
    /// <paramref name="config"/> completed with what this architecture records of <paramref name="sae"/> beyond its
    /// size (TopK's <c>activation_fn_str</c> and <c>k</c>); <see cref="SaeFiles.Save"/> writes it as cfg.json.
    /// </summary>
    public virtual SaeConfig Complete(SparseAutoencoder sae, SaeConfig config) => config;

    /// <summary>
    /// What cfg.json records of how <paramref name="trainer"/> trained (dictionary_learning's trainer names and
    /// keys), from its <paramref name="settings"/> and the run's <paramref name="options"/>.
    /// </summary>
    public JsonObject Describe(SaeTrainer trainer, SaeTrainerSettings settings, TrainingOptions options)
    {
        var record = new JsonObject
        {
            ["trainer"] = TrainerName(settings.PAnneal),
            ["l1_penalty"] = null,
            ["l0_penalty"] = null,
            ["bandwidth"] = null,
            ["k"] = null,
            ["initial_l1_penalty"] = trainer.InitialPenalty,
            ["lr"] = trainer.LearningRate,
            ["warmup_steps"] = settings.Warmup,
            ["steps"] = options.Steps,
            ["batch_size"] = options.BatchSize,
            ["seed"] = options.Seed,
            ["product_dtype"] = ProductPrecision.Name(trainer.ProductType),
            ["p_anneal"] = settings.PAnneal
                ? new JsonObject { ["anneal_start"] = settings.AnnealStartStep, ["p_start"] = 1.0, ["p_end"] = 0.2, ["final_p"] = trainer.PAnnealing!.P }
                : null,
        };
        DescribeSparsity(trainer, record);
        return record;
    }

    /// <summary>The trainer's name in cfg.json (dictionary_learning's, where it has one), with p-annealing or not.</summary>
    protected abstract string TrainerName(bool pAnneal);

    /// <summary>
    /// Sets the sparsity keys of <paramref name="record"/> (<c>l1_penalty</c>, <c>l0_penalty</c>, <c>bandwidth</c>,
    /// <c>k</c>, all null until set) for <paramref name="trainer"/>: by default <c>l1_penalty</c>, the penalty in force.
    /// </summary>
    protected virtual void DescribeSparsity(SaeTrainer trainer, JsonObject record) => record["l1_penalty"] = trainer.Penalty;
}

/// <summary>
/// An architecture whose SAEs are <typeparamref name="TSae"/> and whose own options (λ, k, ...) are a
/// <typeparamref name="TOptions"/>: implement the typed members and register an instance with
/// <see cref="SaeArchitectures.Register"/>.
/// </summary>
public abstract class SaeArchitecture<TSae, TOptions> : SaeArchitecture where TSae : SparseAutoencoder
{
    /// <inheritdoc />
    public sealed override Type SaeType => typeof(TSae);

    /// <summary>The typed options of a sweep's value <paramref name="value"/> (λ or k, as <see cref="SaeArchitecture.Sparsity"/> says).</summary>
    /// <exception cref="ArgumentException">The value is not valid for this architecture (e.g. a fractional k).</exception>
    public abstract TOptions Options(double value);

    /// <summary>A fresh SAE, d = <paramref name="dimension"/> → F = <paramref name="features"/>, initialised from <paramref name="seed"/>, on the CPU.</summary>
    public abstract TSae Create(int dimension, int features, TOptions options, long seed);

    /// <summary>A trainer of <paramref name="sae"/> (which it then owns) with <paramref name="options"/> and <paramref name="settings"/>.</summary>
    public abstract SaeTrainer CreateTrainer(TSae sae, TOptions options, SaeTrainerSettings settings);

    private protected sealed override SaeTrainer NewTrainer(int dimension, int features, double value, SaeTrainerSettings settings)
    {
        var options = Options(value);
        var sae = Create(dimension, features, options, settings.Seed);
        try
        {
            if (settings.Device is { } device) sae.MoveTo(device);
            return CreateTrainer(sae, options, settings);
        }
        catch
        {
            sae.Dispose();
            throw;
        }
    }
}
