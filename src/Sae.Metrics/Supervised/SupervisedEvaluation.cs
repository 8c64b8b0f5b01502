using System.Diagnostics;
using Sae.Core.Native;
using Sae.Metrics.Probes;
using static TorchSharp.torch;

namespace Sae.Metrics.Supervised;

/// <summary>
/// The supervised metrics end to end, from feature activations and labels of a train and a test
/// split: maxima (train, unless given), counts (train), coverage per BSP (train), feature labels
/// (train) and board reconstruction per BSP by the labelled features (test).
/// </summary>
/// <remarks>
/// Like the training entry points, it keeps glibc's malloc from returning large blocks to the kernel
/// (<see cref="GlibcAllocator.TuneForTraining"/>; opt out with <c>SAE_KEEP_MALLOC_DEFAULTS=1</c>).
/// </remarks>
public static class SupervisedEvaluation
{
    /// <summary>
    /// Evaluates feature activations [N, F] (float32) against labels [N, S] (uint8 or bool, 0/1) whose
    /// columns hold the BSPs <paramref name="bsps"/>.
    /// </summary>
    /// <param name="trainActs">Train-split feature activations [N_train, F].</param>
    /// <param name="trainLabels">Train-split labels [N_train, S].</param>
    /// <param name="testActs">Test-split feature activations [N_test, F].</param>
    /// <param name="testLabels">Test-split labels [N_test, S].</param>
    /// <param name="bsps">The BSPs and where their columns are.</param>
    /// <param name="maxima">Per-feature maxima; by default those of <paramref name="trainActs"/>.</param>
    /// <param name="criteria">Feature-label criteria; by default the reference's.</param>
    /// <param name="trainRowsPerGame">The number of consecutive train rows of each train game: given, coverage carries a bootstrap interval over them.</param>
    /// <param name="testRowsPerGame">The same for the test split: given, the reconstruction carries a bootstrap interval.</param>
    /// <param name="bootstrap">How the intervals are drawn (<see cref="BootstrapOptions.Default"/> if null).</param>
    /// <param name="progress">Receives each stage as it finishes.</param>
    /// <param name="cancellationToken">Stops the work between chunks.</param>
    /// <exception cref="ArgumentException">Shapes, types or values that do not fit (the message names the input).</exception>
    public static SupervisedEvaluationResult Run(
        Tensor trainActs, Tensor trainLabels, Tensor testActs, Tensor testLabels, IReadOnlyList<BspSlice> bsps,
        FeatureMaxima? maxima = null, FeatureLabelCriteria? criteria = null,
        IReadOnlyList<int>? trainRowsPerGame = null, IReadOnlyList<int>? testRowsPerGame = null, BootstrapOptions? bootstrap = null,
        IProgress<SupervisedStage>? progress = null, CancellationToken cancellationToken = default)
    {
        SupervisedInputs.CheckActivations(trainActs, nameof(trainActs));
        SupervisedInputs.CheckLabels(trainLabels, trainActs.shape[0], nameof(trainLabels));
        SupervisedInputs.CheckActivations(testActs, nameof(testActs));
        SupervisedInputs.CheckLabels(testLabels, testActs.shape[0], nameof(testLabels));
        if (testActs.shape[1] != trainActs.shape[1])
            throw new ArgumentException($"{nameof(testActs)}: {testActs.shape[1]} features; the train activations have {trainActs.shape[1]}.", nameof(testActs));
        if (testLabels.shape[1] != trainLabels.shape[1])
            throw new ArgumentException($"{nameof(testLabels)}: {testLabels.shape[1]} elements; the train labels have {trainLabels.shape[1]}.", nameof(testLabels));
        foreach (var bsp in bsps) bsp.CheckFits(trainLabels.shape[1]);
        GlibcAllocator.TuneForTraining();
        var clock = Stopwatch.StartNew();
        void Done(string stage)
        {
            progress?.Report(new SupervisedStage(stage, clock.Elapsed));
            clock.Restart();
        }
        maxima ??= FeatureMaxima.Compute(trainActs);
        Done("maxima");
        using var counts = SupervisedCounts.Count(trainActs, trainLabels, maxima, cancellationToken: cancellationToken);
        Done("counts");
        using var labels = FeatureLabels.FromCounts(counts, criteria);
        Done("labels");
        bootstrap ??= BootstrapOptions.Default;
        var coverageIntervals = trainRowsPerGame is null ? null : Coverage.Intervals(trainActs, trainLabels, trainRowsPerGame, counts, bsps, bootstrap, cancellationToken: cancellationToken);
        if (coverageIntervals is not null) Done("coverage intervals");
        var results = new List<BspEvaluation>();
        for (var i = 0; i < bsps.Count; i++)
        {
            var bsp = bsps[i];
            var coverage = Coverage.Compute(counts, bsp);
            Done($"coverage {bsp.Name}");
            using var probe = new LabelledFeatureProbe(labels, bsp);
            using var columns = testLabels.narrow(1, bsp.Offset, bsp.Shape.Size);
            var reconstruction = BoardReconstruction.Score(probe, testActs, columns, bsp.Name, bsp.Shape, rowsPerGame: testRowsPerGame, cancellationToken: cancellationToken);
            Done($"reconstruction {bsp.Name}");
            results.Add(new BspEvaluation(coverage, reconstruction)
            {
                CoverageInterval = coverageIntervals?[i],
                ReconstructionInterval = BoardReconstruction.Interval(reconstruction, bootstrap),
            });
        }
        return new SupervisedEvaluationResult(maxima.AliveFeatures.Count, maxima.FeatureCount, results);
    }
}
