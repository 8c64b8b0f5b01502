using Sae.Core.Autoencoders;
using Sae.Core.Training;

namespace Sae.Core.Architectures;

/// <summary>The standard (ReLU) SAE, trained by the constrained-Adam L1 recipe, with p-annealing and resampling available.</summary>
public sealed class StandardArchitecture : SaeArchitecture<StandardSae, PenaltyOptions>
{
    /// <inheritdoc />
    public override string Name => "standard";

    /// <inheritdoc />
    public override string Family => "Standard";

    /// <inheritdoc />
    public override SparsityParameter Sparsity => SparsityParameter.Penalty;

    /// <inheritdoc />
    public override bool AnnealsP => true;

    /// <inheritdoc />
    public override bool Resamples => true;

    /// <inheritdoc />
    public override PenaltyOptions Options(double value) => new(value);

    /// <inheritdoc />
    public override StandardSae Create(int dimension, int features, PenaltyOptions options, long seed) => new(dimension, features, seed);

    /// <inheritdoc />
    public override SaeTrainer CreateTrainer(StandardSae sae, PenaltyOptions options, SaeTrainerSettings settings) =>
        new StandardTrainer(sae, options.Penalty, settings.LearningRate ?? SaeTrainerSettings.RecipeLearningRate, settings.LearningRateFactor,
            settings.PAnnealing(options.Penalty), resampleSteps: settings.ResampleSteps) { ProductType = settings.Products };

    /// <inheritdoc />
    public override StandardSae CreateForLoading(SaeConfig config, string path) => new(config.InputDimension, config.FeatureCount);

    /// <inheritdoc />
    protected override string TrainerName(bool pAnneal) => pAnneal ? "PAnnealTrainer" : "StandardTrainer";
}
