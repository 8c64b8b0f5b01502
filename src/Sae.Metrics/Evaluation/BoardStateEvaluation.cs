using Sae.Core.Activations;
using Sae.Core.Autoencoders;
using Sae.Core.LanguageModels;
using Sae.Metrics.LanguageModels;
using Sae.Metrics.Probes;
using Sae.Metrics.Supervised;
using Sae.Metrics.Unsupervised;
using static TorchSharp.torch;

namespace Sae.Metrics.Evaluation;

/// <summary>
/// The evaluation runner: (model, layer, SAE or baseline, train and test games, BSPs) → one
/// <see cref="EvaluationRecord"/>, for either game. Activations are read at the games' sampled
/// positions (<see cref="GamePositions"/>, docs/reference.md §4); per-feature maxima, coverage and feature labels come from the train split, board
/// reconstruction and the unsupervised metrics from the test split.
/// </summary>
public static class BoardStateEvaluation
{
    /// <summary>
    /// Every metric of <paramref name="sae"/>, which reads the residual stream after block <paramref name="layer"/>.
    /// Pass <paramref name="residuals"/> (read once with <see cref="SplitResiduals.Read"/>) when evaluating several
    /// SAEs or probes on the same layer; otherwise they are read here.
    /// </summary>
    public static EvaluationRecord EvaluateSae(GptModel model, int layer, ISparseAutoencoder sae, string name, GamePositions train, GamePositions test,
        int batchSize = 64, SplitResiduals? residuals = null, CancellationToken cancellationToken = default)
    {
        if (sae.InputDimension != model.Config.ModelDimension)
            throw new ArgumentException($"The SAE reads {sae.InputDimension}-dimensional activations; the model's residual stream has {model.Config.ModelDimension}.", nameof(sae));
        using var owned = residuals is null ? SplitResiduals.Read(model, layer, train, test, batchSize, cancellationToken) : null;
        var (trainResidual, testResidual) = Residuals(residuals ?? owned!, layer);
        using var trainFeatures = Encode(sae, trainResidual);
        using var testFeatures = Encode(sae, testResidual);
        using var source = new TensorActivations(testResidual);
        var reconstruction = ReconstructionMetrics.Measure(sae, source, cancellationToken: cancellationToken);
        var loss = LossRecovered.Measure(model, layer, sae, test.Sequences, batchSize, cancellationToken);
        var supervised = Supervised(trainFeatures, testFeatures, train, test, cancellationToken);
        return new EvaluationRecord
        {
            Subject = EvaluationSubjects.Sae,
            Name = name,
            Architecture = sae.Architecture,
            Features = sae.FeatureCount,
            Layer = layer,
            TrainPositions = train.Rows,
            TestPositions = test.Rows,
            L0 = reconstruction.L0,
            FractionOfVarianceExplained = reconstruction.FractionOfVarianceExplained,
            Mse = reconstruction.Mse,
            FeatureDensityHistogram = reconstruction.DensityHistogram,
            AliveFeatures = supervised.AliveFeatures,
            LossClean = loss.CleanLoss,
            LossSae = loss.SaeLoss,
            LossZero = loss.ZeroLoss,
            LossRecovered = loss.Fraction,
            Bsps = Scores(supervised),
        };
    }

    /// <summary>The paper's "MLP neurons" baseline: the hidden activations of block <paramref name="layer"/>'s MLP used as features.</summary>
    public static EvaluationRecord EvaluateMlpNeurons(GptModel model, int layer, GamePositions train, GamePositions test,
        int batchSize = 64, CancellationToken cancellationToken = default)
    {
        using var trainFeatures = train.Activations(t => model.MlpActivations(t, layer), model.Device, batchSize, cancellationToken);
        using var testFeatures = test.Activations(t => model.MlpActivations(t, layer), model.Device, batchSize, cancellationToken);
        var supervised = Supervised(trainFeatures, testFeatures, train, test, cancellationToken);
        return new EvaluationRecord
        {
            Subject = EvaluationSubjects.MlpNeurons,
            Name = $"mlp_neurons_layer_{layer}",
            Features = model.Config.EffectiveMlpDimension,
            Layer = layer,
            TrainPositions = train.Rows,
            TestPositions = test.Rows,
            AliveFeatures = supervised.AliveFeatures,
            Bsps = Scores(supervised),
        };
    }

    /// <summary>The supervised upper baseline: a logistic-regression probe per BSP on the residual stream, trained on the train split and scored by the same board reconstruction.</summary>
    public static EvaluationRecord EvaluateLinearProbe(GptModel model, int layer, GamePositions train, GamePositions test, LinearProbeOptions? options = null,
        int batchSize = 64, SplitResiduals? residuals = null, CancellationToken cancellationToken = default)
    {
        using var owned = residuals is null ? SplitResiduals.Read(model, layer, train, test, batchSize, cancellationToken) : null;
        var (trainResidual, testResidual) = Residuals(residuals ?? owned!, layer);
        using var trainLabels = train.LabelTensor();
        using var testLabels = test.LabelTensor();
        var scores = new List<BspScores>();
        foreach (var slice in train.Slices)
        {
            using var trainColumns = trainLabels.narrow(1, slice.Offset, slice.Shape.Size);
            using var testColumns = testLabels.narrow(1, slice.Offset, slice.Shape.Size);
            using var probe = LinearProbe.Train(trainResidual, trainColumns, options, cancellationToken);
            var result = BoardReconstruction.Score(probe, testResidual, testColumns, slice.Name, slice.Shape, rowsPerGame: test.RowsPerGame, cancellationToken: cancellationToken);
            scores.Add(new BspScores(slice.Name, null, result.F1, result.F1PerSquareAtBest, null, ReconstructionInterval: BoardReconstruction.Interval(result)));
        }
        return new EvaluationRecord
        {
            Subject = EvaluationSubjects.LinearProbe,
            Name = $"linear_probe_layer_{layer}",
            Layer = layer,
            TrainPositions = train.Rows,
            TestPositions = test.Rows,
            Bsps = scores,
        };
    }

    private static (Tensor Train, Tensor Test) Residuals(SplitResiduals residuals, int layer) =>
        residuals.Layer == layer ? (residuals.Train, residuals.Test)
            : throw new ArgumentException($"The residuals given are of layer {residuals.Layer}; the evaluation is of layer {layer}.", nameof(residuals));

    private static SupervisedEvaluationResult Supervised(Tensor trainFeatures, Tensor testFeatures, GamePositions train, GamePositions test, CancellationToken cancellationToken)
    {
        using var trainLabels = train.LabelTensor();
        using var testLabels = test.LabelTensor();
        return SupervisedEvaluation.Run(trainFeatures, trainLabels, testFeatures, testLabels, train.Slices,
            trainRowsPerGame: train.RowsPerGame, testRowsPerGame: test.RowsPerGame, cancellationToken: cancellationToken);
    }

    private static IReadOnlyList<BspScores> Scores(SupervisedEvaluationResult result) =>
        [.. result.Bsps.Select(b => new BspScores(b.Coverage.Bsp, b.Coverage.Coverage, b.Reconstruction.F1, b.Reconstruction.F1PerSquareAtBest, b.BestThreshold,
            b.CoverageInterval, b.ReconstructionInterval))];

    /// <summary>Feature activations [N, F] of <paramref name="sae"/> on residual rows [N, d], in chunks.</summary>
    private static Tensor Encode(ISparseAutoencoder sae, Tensor residual)
    {
        using var noGrad = no_grad();
        var n = residual.shape[0];
        var features = empty([n, sae.FeatureCount], ScalarType.Float32);
        const long chunk = 4096;
        for (long start = 0; start < n; start += chunk)
        {
            using var scope = NewDisposeScope();
            var length = Math.Min(chunk, n - start);
            var encoded = sae.Encode(residual.narrow(0, start, length).to(sae.Device));
            features.narrow(0, start, length).copy_(encoded.to_type(ScalarType.Float32).cpu());
        }
        return features;
    }
}
