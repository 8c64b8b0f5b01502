using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Sae.Core.Activations;
using Sae.Games.BoardState;
using Sae.Metrics.Supervised;
using static TorchSharp.torch;

namespace Sae.Cli.Commands;

/// <summary>
/// <c>sae eval features</c>: coverage and board reconstruction of feature activations against 0/1
/// labels of one BSP, from .npy files of a train and a test split.
/// </summary>
internal static class EvalFeaturesCommand
{
    public static Command Create()
    {
        var trainActs = new Option<FileInfo>("--train-acts") { Description = "Train-split feature activations: float32 .npy [positions, features]. The per-feature maxima come from these.", Required = true };
        var trainLabels = new Option<FileInfo>("--train-labels") { Description = "Train-split labels: uint8 0/1 .npy [positions, elements].", Required = true };
        var testActs = new Option<FileInfo>("--test-acts") { Description = "Test-split feature activations: float32 .npy [positions, features].", Required = true };
        var testLabels = new Option<FileInfo>("--test-labels") { Description = "Test-split labels: uint8 0/1 .npy [positions, elements].", Required = true };
        var shape = new Option<string?>("--bsp-shape") { Description = "The BSP's shape R,R,C (rows, columns, classes; elements = R·R·C). Default: every element is its own square of one class." };
        var masked = new Option<int?>("--masked-class") { Description = "A class the BSP declares masked: coverage divides by one class fewer (needs --bsp-shape). The paper's chess piece figures use it (class 6, blank; 64·12 elements); its Othello figure (mine/yours/blank, blank masked) does not: the blank class is zeroed but all 192 elements count, so leave it out to compare with the paper." };
        var command = new Command("features",
            "Coverage (train) and board reconstruction (test) of feature activations; prints one JSON line: coverage, reconstruction_f1 (per class, at best_threshold), reconstruction_f1_per_square, reconstruction_f1_last (the last variant), best_threshold, alive_features.")
        {
            trainActs, trainLabels, testActs, testLabels, shape, masked,
        };
        CommandAction.Set(command, (parseResult, cancellationToken) =>
        {
            using var scope = NewDisposeScope();
            var (trainA, trainG) = Split(parseResult.GetRequiredValue(trainActs).FullName, parseResult.GetRequiredValue(trainLabels).FullName);
            var (testA, testG) = Split(parseResult.GetRequiredValue(testActs).FullName, parseResult.GetRequiredValue(testLabels).FullName);
            var elements = (int)trainG.shape[1];
            var bsp = new BspSlice("bsp", 0, Shape(parseResult.GetValue(shape), elements), parseResult.GetValue(masked));
            if (bsp.MaskedChannel is not null && parseResult.GetValue(shape) is null)
                throw new ArgumentException("--masked-class needs --bsp-shape.");
            if (bsp.Shape.Size != elements)
                throw new ArgumentException($"--bsp-shape {bsp.Shape} has {bsp.Shape.Size} elements; the labels have {elements}.");
            var result = SupervisedEvaluation.Run(trainA, trainG, testA, testG, [bsp], cancellationToken: cancellationToken);
            var b = result.Bsps[0];
            var json = JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["coverage"] = b.Coverage.Coverage,
                ["coverage_threshold"] = b.Coverage.BestThreshold / 10.0,
                ["reconstruction_f1"] = b.Reconstruction.F1,
                ["reconstruction_f1_per_square"] = b.Reconstruction.F1PerSquareAtBest,
                ["reconstruction_f1_last"] = b.Reconstruction.F1PerClass[ReferenceThresholds.Count - 1],
                ["best_threshold"] = b.BestThreshold,
                ["alive_features"] = result.AliveFeatures,
                ["features"] = result.FeatureCount,
                ["train_positions"] = trainA.shape[0],
                ["test_positions"] = testA.shape[0],
            });
            parseResult.InvocationConfiguration.Output.WriteLine(json);
            return 0;
        });
        return command;
    }

    /// <summary>One split's activations and labels, checked; the tensors belong to the caller's scope.</summary>
    private static (Tensor Acts, Tensor Labels) Split(string actsPath, string labelsPath)
    {
        var acts = tensor(NpyFile.Read(actsPath));
        SupervisedInputs.CheckActivations(acts, actsPath);
        var labels = tensor(NpyFile.ReadUInt8(labelsPath));
        SupervisedInputs.CheckLabels(labels, acts.shape[0], labelsPath);
        return (acts, labels);
    }

    private static BoardStateShape Shape(string? text, int elements)
    {
        if (text is null) return new BoardStateShape(1, elements, 1);
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 3 || !parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= 1))
            throw new ArgumentException($"--bsp-shape must be three positive integers R,R,C (e.g. 8,8,13), not '{text}'.");
        var v = parts.Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        return new BoardStateShape(v[0], v[1], v[2]);
    }
}
