using System.Text.Json.Nodes;
using Sae.Core.Autoencoders;
using Sae.Core.Training;

namespace Sae.Core.Architectures;

/// <summary>The JumpReLU SAE, trained with an L0 penalty through straight-through threshold gradients; BatchTopK SAEs load as it.</summary>
public sealed class JumpReluArchitecture : SaeArchitecture<JumpReluSae, PenaltyOptions>
{
    /// <inheritdoc />
    public override string Name => "jumprelu";

    /// <inheritdoc />
    public override string Family => "JumpReLU";

    /// <inheritdoc />
    public override SparsityParameter Sparsity => SparsityParameter.Penalty;

    /// <inheritdoc />
    public override double TypicalPenalty => 0.001;

    /// <inheritdoc />
    public override PenaltyOptions Options(double value) => new(value);

    /// <inheritdoc />
    public override JumpReluSae Create(int dimension, int features, PenaltyOptions options, long seed) => new(dimension, features, seed);

    /// <inheritdoc />
    public override SaeTrainer CreateTrainer(JumpReluSae sae, PenaltyOptions options, SaeTrainerSettings settings) =>
        new JumpReluTrainer(sae, options.Penalty, settings.LearningRate ?? SaeTrainerSettings.RecipeLearningRate,
            learningRateFactor: settings.LearningRateFactor) { ProductType = settings.Products };

    /// <inheritdoc />
    public override JumpReluSae CreateForLoading(SaeConfig config, string path) => new(config.InputDimension, config.FeatureCount);

    /// <inheritdoc />
    protected override string TrainerName(bool pAnneal) => "JumpReluTrainer";

    /// <inheritdoc />
    protected override void DescribeSparsity(SaeTrainer trainer, JsonObject record)
    {
        record["l0_penalty"] = trainer.Penalty;
        record["bandwidth"] = ((JumpReluTrainer)trainer).Bandwidth;
    }
}
