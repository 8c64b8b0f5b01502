using System.Text.Json.Nodes;
using Sae.Core.Autoencoders;
using Sae.Core.Training;

namespace Sae.Core.Architectures;

/// <summary>
/// BatchTopK: k active features per row on average over a batch, trained with the AuxK term. Its SAE is a
/// <see cref="JumpReluSae"/> whose threshold training learns, so it saves (and loads) as <c>jumprelu</c>.
/// </summary>
public sealed class BatchTopKArchitecture : SaeArchitecture<JumpReluSae, TopKOptions>
{
    /// <inheritdoc />
    public override string Name => "batchtopk";

    /// <inheritdoc />
    public override string Family => "BatchTopK";

    /// <inheritdoc />
    public override SparsityParameter Sparsity => SparsityParameter.K;

    /// <inheritdoc />
    public override TopKOptions Options(double value) => TopKOptions.FromSweepValue(value);

    /// <inheritdoc />
    public override JumpReluSae Create(int dimension, int features, TopKOptions options, long seed) => JumpReluSae.ForBatchTopK(dimension, features, seed);

    /// <inheritdoc />
    public override SaeTrainer CreateTrainer(JumpReluSae sae, TopKOptions options, SaeTrainerSettings settings) =>
        new BatchTopKTrainer(sae, options.K, settings.LearningRate, settings.LearningRateFactor) { ProductType = settings.Products };

    /// <inheritdoc />
    public override JumpReluSae CreateForLoading(SaeConfig config, string path) => SaeArchitectures.JumpRelu.CreateForLoading(config, path);

    /// <inheritdoc />
    protected override string TrainerName(bool pAnneal) => "BatchTopKTrainer";

    /// <inheritdoc />
    protected override void DescribeSparsity(SaeTrainer trainer, JsonObject record) => record["k"] = ((BatchTopKTrainer)trainer).K;
}
