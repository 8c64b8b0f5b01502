using Sae.Core.Activations;
using Sae.Core.Autoencoders;
using Sae.Core.LanguageModels;
using Sae.Core.Training;

namespace Sae.Core.Tests.Training;

/// <summary>
/// A checkpoint cut short (a disk that filled up, a copy that stopped) or otherwise damaged is named,
/// set aside as FOLDER.damaged, and training goes on from the previous checkpoint or from the start,
/// ending where an uninterrupted run ends.
/// </summary>
public sealed class DamagedCheckpointTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sae-damaged-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static InMemoryActivations Data()
    {
        var values = new float[200, 8];
        var random = new Random(3);
        for (var i = 0; i < 200; i++)
            for (var j = 0; j < 8; j++) values[i, j] = (float)random.NextDouble();
        return new InMemoryActivations(values);
    }

    private static StandardTrainer Trainer() => new(new StandardSae(8, 16, seed: 1), 0.1, 1e-3, new LinearWarmup(2));

    private static float[] TrainedWeights(IActivationSource source, TrainingOptions options)
    {
        var trainer = Trainer();
        try
        {
            SaeTraining.Run([trainer], source, options);
            return [.. trainer.Sae.Parameters.Values.SelectMany(p => p.data<float>().ToArray())];
        }
        finally
        {
            trainer.Dispose();
        }
    }

    private static void Truncate(string path) => File.WriteAllBytes(path, File.ReadAllBytes(path)[..(int)(new FileInfo(path).Length / 2)]);

    [Theory]
    [InlineData("trainer-0.safetensors", "trainer-0.safetensors holds")]
    [InlineData("state.json", "state.json is not valid JSON")]
    public void A_truncated_sae_checkpoint_is_set_aside_and_the_run_starts_afresh(string file, string problem)
    {
        using var source = Data();
        var options = new TrainingOptions { BatchSize = 16, Steps = 8, Seed = 2 };
        var expected = TrainedWeights(source, options);
        var checkpoint = Path.Combine(_dir, "checkpoint");
        TrainedWeights(source, options with { Steps = 4, CheckpointEvery = 2, CheckpointDirectory = checkpoint });
        Truncate(Path.Combine(checkpoint, file));

        var damaged = new List<DamagedCheckpoint>();
        var resumed = TrainedWeights(source, options with { CheckpointEvery = 2, CheckpointDirectory = checkpoint, OnDamagedCheckpoint = damaged.Add });

        damaged.Should().ContainSingle();
        damaged[0].Problem.Should().Contain(problem);
        damaged[0].SetAsidePath.Should().Be(Path.GetFullPath(checkpoint) + ".damaged");
        Directory.Exists(damaged[0].SetAsidePath).Should().BeTrue("the damaged checkpoint is kept for inspection");
        resumed.Should().Equal(expected, "a run that started afresh ends where an uninterrupted one does");
    }

    [Fact]
    public void A_damaged_checkpoint_beside_the_previous_one_resumes_from_the_previous()
    {
        using var source = Data();
        var checkpoint = Path.Combine(_dir, "checkpoint");
        TrainedWeights(source, new TrainingOptions { BatchSize = 16, Steps = 4, Seed = 2, CheckpointEvery = 2, CheckpointDirectory = checkpoint });
        // As a swap interrupted after the new checkpoint went into place leaves it: the previous one beside it as .old.
        Directory.CreateDirectory(checkpoint + ".old");
        foreach (var f in Directory.EnumerateFiles(checkpoint)) File.Copy(f, Path.Combine(checkpoint + ".old", Path.GetFileName(f)));
        Truncate(Path.Combine(checkpoint, "trainer-0.safetensors"));

        var trainer = Trainer();
        var damaged = new List<DamagedCheckpoint>();
        TrainingCheckpoint.Restore(checkpoint, [trainer], damaged.Add).Should().Be(3, "the previous checkpoint was written after step 3");
        damaged.Should().ContainSingle().Which.Directory.Should().Be(Path.GetFullPath(checkpoint));
        trainer.Dispose();
    }

    [Fact]
    public void A_language_model_checkpoint_with_a_truncated_optimizer_state_is_set_aside_and_training_starts_afresh()
    {
        var config = new GptConfig { Layers = 1, Heads = 2, ModelDimension = 8, ContextLength = 6, VocabularySize = 9 };
        var tokens = new long[8 * 7];
        var random = new Random(4);
        for (var i = 0; i < tokens.Length; i++) tokens[i] = random.Next(0, config.VocabularySize);
        var data = new TokenSequences(tokens, 8, 7, ignoredTarget: 0);
        var options = new GptTrainingOptions { Steps = 6, BatchSize = 4, WarmupSteps = 2, Seed = 3, CheckpointEvery = 2 };
        var checkpoint = Path.Combine(_dir, "lm-checkpoint");

        using var whole = new GptModel(config, 3);
        GptTraining.Train(whole, data, options);
        using (var part = new GptModel(config, 3))
            GptTraining.Train(part, data, options with { Steps = 4 }, checkpoint);
        Truncate(Path.Combine(checkpoint, "optimizer.bin"));

        var damaged = new List<DamagedCheckpoint>();
        using var resumed = new GptModel(config, 3);
        GptTraining.Train(resumed, data, options, checkpoint, onDamagedCheckpoint: damaged.Add);
        damaged.Should().ContainSingle().Which.Problem.Should().Contain("optimizer.bin holds");
        foreach (var (name, p) in whole.Parameters) p.allclose(resumed.Parameters[name], rtol: 0, atol: 0).Should().BeTrue(name);
    }
}
