using System.Text.Json;
using Sae.Core.Activations;

namespace Sae.Cli.Tests;

public sealed class EvalFeaturesCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sae-cli-features-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>
    /// 40 positions of a 1x1x2 BSP: element 0 true at even positions, element 1 at odd ones. Feature 0
    /// fires (value 1 + x/100) exactly where element 0 is true, feature 1 where element 1 is, feature 2 never.
    /// </summary>
    private (string Acts, string Labels) Split(string name, bool zeroClass1 = false)
    {
        var acts = new float[40, 3];
        var labels = new byte[40, 2];
        for (var x = 0; x < 40; x++)
        {
            acts[x, x % 2] = 1 + x / 100f;
            labels[x, x % 2] = (byte)(zeroClass1 && x % 2 == 1 ? 0 : 1);
        }
        return (Write(name + "-acts.npy", acts), WriteLabels(name + "-labels.npy", labels));
    }

    private string Write(string name, float[,] values)
    {
        var path = Path.Combine(_dir, name);
        NpyFile.Write(path, values);
        return path;
    }

    private string WriteLabels(string name, byte[,] values)
    {
        var path = Path.Combine(_dir, name);
        NpyFile.WriteUInt8(path, values);
        return path;
    }

    private static (int ExitCode, string Output, string Error) Eval(string trainActs, string trainLabels, string testActs, string testLabels, params string[] more) =>
        Sae.Run("", ["eval", "features", "--train-acts", trainActs, "--train-labels", trainLabels, "--test-acts", testActs, "--test-labels", testLabels, .. more]);

    [Fact]
    public void Perfect_features_cover_and_reconstruct_the_board_completely()
    {
        var (trainActs, trainLabels) = Split("train");
        var (testActs, testLabels) = Split("test");
        var (code, output, error) = Eval(trainActs, trainLabels, testActs, testLabels, "--bsp-shape", "1,1,2");
        code.Should().Be(0, error);
        Sae.Lines(output).Should().ContainSingle();
        var json = JsonDocument.Parse(output).RootElement;
        json.GetProperty("coverage").GetDouble().Should().BeApproximately(1, 1e-7);
        json.GetProperty("reconstruction_f1").GetDouble().Should().BeApproximately(1, 1e-7);
        json.GetProperty("reconstruction_f1_per_square").GetDouble().Should().BeApproximately(1, 1e-7);
        // Every ordinary threshold labels both features perfectly: the first, 0, is chosen.
        json.GetProperty("best_threshold").GetDouble().Should().Be(0);
        json.GetProperty("alive_features").GetInt32().Should().Be(2);
        json.GetProperty("reconstruction_f1_last").GetDouble().Should().BeApproximately(1, 1e-7);
    }

    [Fact]
    public void A_masked_class_leaves_the_coverage_denominator()
    {
        // Class 1 zeroed, as a masked BSP does: element 0 scores 1, element 1 scores 0.
        var (trainActs, trainLabels) = Split("train-masked", zeroClass1: true);
        var (testActs, testLabels) = Split("test-masked", zeroClass1: true);
        var plain = Eval(trainActs, trainLabels, testActs, testLabels, "--bsp-shape", "1,1,2");
        JsonDocument.Parse(plain.Output).RootElement.GetProperty("coverage").GetDouble().Should().BeApproximately(0.5, 1e-7);
        var (code, output, error) = Eval(trainActs, trainLabels, testActs, testLabels, "--bsp-shape", "1,1,2", "--masked-class", "1");
        code.Should().Be(0, error);
        JsonDocument.Parse(output).RootElement.GetProperty("coverage").GetDouble().Should().BeApproximately(1, 1e-7);
    }

    [Fact]
    public void Masking_a_class_whose_labels_are_not_zero_is_bad_input()
    {
        var (trainActs, trainLabels) = Split("train");
        var (testActs, testLabels) = Split("test");
        var (code, _, error) = Eval(trainActs, trainLabels, testActs, testLabels, "--bsp-shape", "1,1,2", "--masked-class", "1");
        code.Should().Be(2);
        error.Should().Contain("class 1 is masked by design, but some of its labels are 1");
    }

    [Fact]
    public void Labels_with_other_rows_than_the_activations_are_bad_input()
    {
        var (trainActs, _) = Split("train");
        var (testActs, testLabels) = Split("test");
        var shortLabels = WriteLabels("short.npy", new byte[39, 2]);
        var (code, output, error) = Eval(trainActs, shortLabels, testActs, testLabels);
        code.Should().Be(2);
        output.Should().BeEmpty();
        error.Should().StartWith("sae: error: ").And.Contain("short.npy").And.Contain("39 rows of labels for 40 rows");
    }

    [Fact]
    public void Labels_saved_as_float32_are_bad_input()
    {
        var (trainActs, _) = Split("train");
        var (testActs, testLabels) = Split("test");
        var floatLabels = Write("float-labels.npy", new float[40, 2]);
        var (code, _, error) = Eval(trainActs, floatLabels, testActs, testLabels);
        code.Should().Be(2);
        error.Should().StartWith("sae: error: ").And.Contain("float-labels.npy").And.Contain("uint8");
    }

    [Fact]
    public void Labels_other_than_0_or_1_are_bad_input()
    {
        var (trainActs, trainLabels) = Split("train");
        var (testActs, _) = Split("test");
        var twos = new byte[40, 2];
        twos[3, 1] = 2;
        var (code, _, error) = Eval(trainActs, trainLabels, testActs, WriteLabels("twos.npy", twos));
        code.Should().Be(2);
        error.Should().StartWith("sae: error: ").And.Contain("twos.npy").And.Contain("0 or 1");
    }

    [Fact]
    public void Activations_with_NaN_are_bad_input()
    {
        var (_, trainLabels) = Split("train");
        var (testActs, testLabels) = Split("test");
        var acts = new float[40, 3];
        acts[7, 2] = float.NaN;
        var (code, _, error) = Eval(Write("nan.npy", acts), trainLabels, testActs, testLabels);
        code.Should().Be(2);
        error.Should().StartWith("sae: error: ").And.Contain("nan.npy").And.Contain("NaN");
    }

    [Fact]
    public void Splits_with_different_features_and_a_shape_of_the_wrong_size_are_bad_input()
    {
        var (trainActs, trainLabels) = Split("train");
        var (_, testLabels) = Split("test");
        var wide = Eval(trainActs, trainLabels, Write("wide.npy", new float[40, 4]), testLabels);
        wide.ExitCode.Should().Be(2);
        wide.Error.Should().Contain("4 features; the train activations have 3");

        var (testActs, _) = Split("test");
        var shape = Eval(trainActs, trainLabels, testActs, testLabels, "--bsp-shape", "8,8,13");
        shape.ExitCode.Should().Be(2);
        shape.Error.Should().Contain("832 elements; the labels have 2");
    }
}
