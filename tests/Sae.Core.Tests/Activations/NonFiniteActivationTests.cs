using CsCheck;
using Sae.Core.Activations;
using Sae.Core.Autoencoders;
using Sae.Core.LanguageModels;
using Sae.Core.Training;
using static TorchSharp.torch;

namespace Sae.Core.Tests.Activations;

public sealed class NonFiniteActivationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sae-nonfinite-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_first_non_finite_value_is_found_wherever_it_is()
    {
        Gen.Select(Gen.Float[-1e6f, 1e6f].Array[0, 300], Gen.Int, Gen.OneOfConst(float.NaN, float.PositiveInfinity, float.NegativeInfinity))
            .Sample((values, at, bad) =>
            {
                FiniteValues.FirstNonFinite(values).Should().Be(-1);
                if (values.Length == 0) return;
                var i = Math.Abs(at % values.Length);
                var copy = (float[])values.Clone();
                copy[i] = bad;
                if (i + 1 < copy.Length) copy[^1] = float.NaN; // a later one does not hide it
                FiniteValues.FirstNonFinite(copy).Should().Be(i);
            });
    }

    private string Npy(float badValue, int badRow, int rows = 64, int d = 4)
    {
        var values = new float[rows, d];
        var random = new Random(1);
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < d; c++)
                values[r, c] = (float)random.NextDouble();
        values[badRow, 2] = badValue;
        var path = Path.Combine(_dir, $"acts-{badRow}.npy");
        NpyFile.Write(path, values);
        return path;
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void Training_refuses_a_table_with_a_non_finite_value_before_its_first_step(float bad)
    {
        using var source = new NpyActivations(Npy(bad, badRow: 37));
        using var sae = new StandardSae(4, 8, seed: 1);
        using var trainer = new StandardTrainer(sae, 0.1);
        var before = sae.W_enc.clone();
        var act = () => SaeTraining.Run([trainer], source, new TrainingOptions { BatchSize = 8, Steps = 5 });
        var error = act.Should().Throw<NonFiniteActivationException>().Which;
        error.Row.Should().Be(37);
        error.Column.Should().Be(2);
        error.Message.Should().Contain("acts-37.npy").And.Contain("row 37");
        trainer.Optimizer.StepCount.Should().Be(0, "no step was taken");
        sae.W_enc.allclose(before, 0, 0).Should().BeTrue();
    }

    [Fact]
    public void A_batch_holding_a_non_finite_row_is_refused_with_that_row()
    {
        // The path of tables too large to check first: each batch is checked as it is read.
        using var source = new NpyActivations(Npy(float.NaN, badRow: 5, rows: 16));
        using var batches = new ActivationBatches(source, 16, seed: 3);
        FluentActions.Invoking(() => batches.Batch(0)).Should().Throw<NonFiniteActivationException>().Which.Row.Should().Be(5);
    }

    [Fact]
    public void A_loss_that_overflows_stops_training_before_the_weights_change()
    {
        // Finite activations of 1e30: the squared reconstruction error overflows float32.
        var values = new float[16, 4];
        for (var r = 0; r < 16; r++) values[r, r % 4] = 1e30f;
        using var source = new InMemoryActivations(values);
        using var sae = new GatedSae(4, 8, seed: 2);
        using var trainer = new GatedTrainer(sae, 0.5);
        var before = sae.W_enc.clone();
        var act = () => SaeTraining.Run([trainer], source, new TrainingOptions { BatchSize = 8, Steps = 3 });
        act.Should().Throw<NonFiniteTrainingException>().Which.Step.Should().Be(0);
        sae.W_enc.allclose(before, 0, 0).Should().BeTrue("the step's gradients were not applied");
    }

    [Fact]
    public void A_language_model_whose_loss_is_not_finite_stops_and_keeps_the_last_checkpoint()
    {
        var config = new GptConfig { Layers = 1, Heads = 2, ModelDimension = 16, ContextLength = 8, VocabularySize = 11 };
        var tokens = new long[8 * 9];
        for (var i = 0; i < tokens.Length; i++) tokens[i] = 1 + i % 10;
        var data = new TokenSequences(tokens, 8, 9);
        var checkpoint = Path.Combine(_dir, "lm");
        using var model = new GptModel(config, 1);
        GptTraining.Train(model, data, new GptTrainingOptions { Steps = 4, BatchSize = 2, WarmupSteps = 1, CheckpointEvery = 2 }, checkpoint);
        var saved = File.ReadAllBytes(Path.Combine(checkpoint, GptFiles.WeightsFileName));
        // Resumed with an absurd learning rate, the weights overflow: the loss of a later step, or the weights
        // before the final save, are not finite, and the run stops without writing them.
        var act = () => GptTraining.Train(model, data, new GptTrainingOptions { Steps = 8, BatchSize = 2, WarmupSteps = 1, LearningRate = 1e30, CheckpointEvery = 100 }, checkpoint);
        act.Should().Throw<NonFiniteTrainingException>().Which.Step.Should().BeInRange(4, 7, "the run resumed at step 4");
        File.ReadAllBytes(Path.Combine(checkpoint, GptFiles.WeightsFileName)).Should().Equal(saved, "nothing non-finite was saved");
    }
}
