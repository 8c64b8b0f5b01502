using Sae.Core.Architectures;
using Sae.Core.Autoencoders;
using Sae.Core.Native;
using Sae.Core.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sae.Core.Tests.Architectures;

// An architecture the library does not know, written as a user would in their own project: the SAE, its training
// recipe and its descriptor in one file, made known with one line, SaeArchitectures.Register(...). (ComputeGradients is
// overridden as protected internal only because Sae.Core shows its internals to this test project; elsewhere it is
// protected.)

/// <summary>A ReLU SAE whose features are squared: f = ReLU((x − b_dec) W_enc + b_enc)².</summary>
public sealed class SquaredReluSae : SparseAutoencoder
{
    /// <summary>Creates the SAE, initialised as the standard one.</summary>
    public SquaredReluSae(int inputDimension, int featureCount, long seed = 42) : base(SquaredReluArchitecture.ArchitectureName, inputDimension, featureCount)
    {
        using var generator = new Generator((ulong)seed, CPU);
        AddLinearAutoencoderParameters(generator);
    }

    /// <summary>b_enc [F].</summary>
    public Parameter b_enc => Get("b_enc");

    /// <inheritdoc />
    public override Tensor Encode(Tensor x)
    {
        using var scope = NewDisposeScope();
        return Centre(x).matmul(W_enc).add_(b_enc, Scalars.One).relu_().square().MoveToOuterDisposeScope();
    }
}

/// <summary>Its recipe: squared error plus λ times the L1 norm of f, with gradients from autograd.</summary>
public sealed class SquaredReluTrainer(SquaredReluSae sae, double penalty, double learningRate, IAnnealingSchedule learningRateFactor)
    : SaeTrainer(sae, penalty, learningRate, learningRateFactor, pAnnealing: null, beta1: 0.9, penaltyFactor: null)
{
    /// <inheritdoc />
    protected internal override GradientResult ComputeGradients(Tensor x, double p, double penalty, double? nextP)
    {
        using var scope = NewDisposeScope();
        Optimizer.ZeroGrad();
        var f = Sae.Encode(x);
        var reconstruction = Sae.Decode(f).sub_(x).square().sum(1).mean();
        var sparsity = SparsityTerm(f, p);
        using var lambda = penalty.ToScalar();
        var loss = reconstruction.add(sparsity.mul(lambda), Scalars.One);
        loss.backward();
        var l0 = f.gt(Scalars.Zero).sum().item<long>() / (double)x.shape[0];
        return new GradientResult(loss.item<float>(), reconstruction.item<float>(), sparsity.item<float>(), l0, null);
    }
}

/// <summary>The descriptor: its names, how to create, train, describe and load it.</summary>
public sealed class SquaredReluArchitecture : SaeArchitecture<SquaredReluSae, PenaltyOptions>
{
    /// <summary>The name in cfg.json, sweeps and on the command line.</summary>
    public const string ArchitectureName = "squared_relu";

    /// <inheritdoc />
    public override string Name => ArchitectureName;

    /// <inheritdoc />
    public override string Family => "Squared ReLU";

    /// <inheritdoc />
    public override SparsityParameter Sparsity => SparsityParameter.Penalty;

    /// <inheritdoc />
    public override PenaltyOptions Options(double value) => new(value);

    /// <inheritdoc />
    public override SquaredReluSae Create(int dimension, int features, PenaltyOptions options, long seed) => new(dimension, features, seed);

    /// <inheritdoc />
    public override SaeTrainer CreateTrainer(SquaredReluSae sae, PenaltyOptions options, SaeTrainerSettings settings) =>
        new SquaredReluTrainer(sae, options.Penalty, settings.LearningRate ?? SaeTrainerSettings.RecipeLearningRate, settings.LearningRateFactor);

    /// <inheritdoc />
    public override SquaredReluSae CreateForLoading(SaeConfig config, string path) => new(config.InputDimension, config.FeatureCount);

    /// <inheritdoc />
    protected override string TrainerName(bool pAnneal) => "SquaredReluTrainer";
}
