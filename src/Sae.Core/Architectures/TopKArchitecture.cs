using System.Text.Json.Nodes;
using Sae.Core.Autoencoders;
using Sae.Core.Training;

namespace Sae.Core.Architectures;

/// <summary>The TopK SAE, which keeps the k largest pre-activations per input, trained with the AuxK term.</summary>
public sealed class TopKArchitecture : SaeArchitecture<TopKSae, TopKOptions>
{
    /// <inheritdoc />
    public override string Name => "topk";

    /// <inheritdoc />
    public override string Family => "TopK";

    /// <inheritdoc />
    public override SparsityParameter Sparsity => SparsityParameter.K;

    /// <inheritdoc />
    public override TopKOptions Options(double value) => TopKOptions.FromSweepValue(value);

    /// <inheritdoc />
    public override TopKSae Create(int dimension, int features, TopKOptions options, long seed) => new(dimension, features, options.K, seed);

    /// <inheritdoc />
    public override SaeTrainer CreateTrainer(TopKSae sae, TopKOptions options, SaeTrainerSettings settings) =>
        new TopKTrainer(sae, settings.LearningRate, settings.LearningRateFactor) { ProductType = settings.Products };

    /// <inheritdoc />
    /// <exception cref="InvalidSaeFileException">cfg.json has no k, or one outside 1..d_sae.</exception>
    public override TopKSae CreateForLoading(SaeConfig config, string path) =>
        config.K is { } k and > 0 && k <= config.FeatureCount
            ? new TopKSae(config.InputDimension, config.FeatureCount, k)
            : throw new InvalidSaeFileException(path, $"a topk SAE needs k between 1 and d_sae ({config.FeatureCount}); cfg.json has {config.K?.ToString() ?? "none"}");

    /// <inheritdoc />
    public override SaeConfig Complete(SparseAutoencoder sae, SaeConfig config) =>
        config with { ActivationFunction = "topk", K = ((TopKSae)sae).K };

    /// <inheritdoc />
    protected override string TrainerName(bool pAnneal) => "TopKTrainer";

    /// <inheritdoc />
    protected override void DescribeSparsity(SaeTrainer trainer, JsonObject record) => record["k"] = ((TopKSae)trainer.Sae).K;
}
