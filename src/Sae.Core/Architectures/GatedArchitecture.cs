using Sae.Core.Autoencoders;
using Sae.Core.Training;

namespace Sae.Core.Architectures;

/// <summary>The gated SAE, trained by the gated recipe's L1 penalty on the gate, with p-annealing available.</summary>
public sealed class GatedArchitecture : SaeArchitecture<GatedSae, PenaltyOptions>
{
    /// <inheritdoc />
    public override string Name => "gated";

    /// <inheritdoc />
    public override string Family => "Gated";

    /// <inheritdoc />
    public override SparsityParameter Sparsity => SparsityParameter.Penalty;

    /// <inheritdoc />
    public override bool AnnealsP => true;

    /// <inheritdoc />
    public override double TypicalPenalty => 1.0;

    /// <inheritdoc />
    public override PenaltyOptions Options(double value) => new(value);

    /// <inheritdoc />
    public override GatedSae Create(int dimension, int features, PenaltyOptions options, long seed) => new(dimension, features, seed);

    /// <inheritdoc />
    public override SaeTrainer CreateTrainer(GatedSae sae, PenaltyOptions options, SaeTrainerSettings settings) =>
        new GatedTrainer(sae, options.Penalty, settings.LearningRate ?? SaeTrainerSettings.RecipeLearningRate, settings.LearningRateFactor,
            settings.PAnnealing(options.Penalty)) { ProductType = settings.Products };

    /// <inheritdoc />
    public override GatedSae CreateForLoading(SaeConfig config, string path) => new(config.InputDimension, config.FeatureCount);

    /// <inheritdoc />
    protected override string TrainerName(bool pAnneal) => pAnneal ? "GatedAnnealTrainer" : "GatedSAETrainer";
}
