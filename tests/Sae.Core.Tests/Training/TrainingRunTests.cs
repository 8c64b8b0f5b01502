using Sae.Core.Activations;
using Sae.Core.Autoencoders;
using Sae.Core.Training;
using static TorchSharp.torch;

namespace Sae.Core.Tests.Training;

public sealed class TrainingRunTests : IDisposable
{
    private const int Steps = 30;
    private readonly string _dir = Directory.CreateTempSubdirectory("sae-run-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static InMemoryActivations Data()
    {
        using var data = new SyntheticDictionary(16, 24, 0.15, seed: 2);
        return data.SampleActivations(500);
    }

    private static List<SaeTrainer> Trainers() =>
    [
        new StandardTrainer(new StandardSae(16, 32, seed: 1), 0.1, 1e-3, new LinearWarmup(5), new PAnnealing(0.1, Steps, annealStart: 8, updates: 4), resampleSteps: 7),
        new GatedTrainer(new GatedSae(16, 32, seed: 2), 0.5, 1e-3, new LinearWarmup(5)),
        new TopKTrainer(new TopKSae(16, 32, k: 4, seed: 3), 1e-3, new LinearWarmup(5), deadTokenThreshold: 200),
        new BatchTopKTrainer(JumpReluSae.ForBatchTopK(16, 32, seed: 4), k: 4, 1e-3, new LinearWarmup(5), deadTokenThreshold: 200, thresholdStartStep: 3),
        new JumpReluTrainer(new JumpReluSae(16, 32, seed: 5), 0.01, 1e-3, bandwidth: 0.05, learningRateFactor: new LinearWarmup(5)),
        new GatedTrainer(new GatedSae(16, 48, seed: 6), 0.5, 1e-3, new LinearWarmup(5), new PAnnealing(0.5, Steps, annealStart: 8, updates: 4)),
    ];

    private static float[][] Weights(IEnumerable<SaeTrainer> trainers) =>
        [.. trainers.SelectMany(t => t.Sae.Parameters.Values.Select(p => p.data<float>().ToArray()))];

    private static void Release(IEnumerable<SaeTrainer> trainers)
    {
        foreach (var t in trainers) t.Dispose();
    }

    [Fact]
    public void A_resumed_run_equals_an_uninterrupted_one_bit_for_bit()
    {
        using var source = Data();
        var options = new TrainingOptions { BatchSize = 64, Steps = Steps, Seed = 5 };

        var uninterrupted = Trainers();
        SaeTraining.Run(uninterrupted, source, options);
        var expected = Weights(uninterrupted);
        var expectedPenalty = uninterrupted[0].Penalty;
        Release(uninterrupted);

        var checkpoints = Path.Combine(_dir, "checkpoint");
        var interrupted = Trainers();
        using var cancel = new CancellationTokenSource();
        var stopAt17 = new SynchronousProgress(p => { if (p.Step == 17) cancel.Cancel(); });
        var run = () => SaeTraining.Run(interrupted, source, options with { CheckpointEvery = 10, CheckpointDirectory = checkpoints }, stopAt17, cancel.Token);
        run.Should().Throw<OperationCanceledException>();
        Release(interrupted);

        var resumed = Trainers();
        SaeTraining.Run(resumed, source, options with { CheckpointEvery = 10, CheckpointDirectory = checkpoints })
            .StepsTaken.Should().Be(Steps - 10, "the checkpoint after step 9 is where it resumes");
        Weights(resumed).Should().BeEquivalentTo(expected, o => o.WithStrictOrdering());
        resumed[0].Penalty.Should().Be(expectedPenalty);
        Release(resumed);
    }

    [Fact]
    public void Trainers_sharing_a_stream_train_as_they_would_alone()
    {
        using var source = Data();
        var options = new TrainingOptions { BatchSize = 32, Steps = 12, Seed = 9 };
        var together = Trainers();
        SaeTraining.Run(together, source, options);
        var alone = Trainers();
        foreach (var trainer in alone) SaeTraining.Run([trainer], source, options);
        Weights(together).Should().BeEquivalentTo(Weights(alone), o => o.WithStrictOrdering());
        Release(together);
        Release(alone);
    }

    [Fact]
    public void A_checkpoint_of_other_trainers_is_refused()
    {
        using var source = Data();
        var checkpoints = Path.Combine(_dir, "other");
        var options = new TrainingOptions { BatchSize = 32, Steps = 4, CheckpointEvery = 2, CheckpointDirectory = checkpoints };
        var two = Trainers();
        SaeTraining.Run(two, source, options);
        Release(two);
        var one = new List<SaeTrainer> { new StandardTrainer(new StandardSae(16, 32), 0.1) };
        var run = () => SaeTraining.Run(one, source, options with { Steps = 8 });
        run.Should().Throw<InvalidSaeFileException>().WithMessage("*holds 6 trainers; this run has 1*");
        Release(one);
    }

    [Fact]
    public void Activations_of_another_dimension_are_refused()
    {
        using var source = new InMemoryActivations(new float[10, 3]);
        var trainers = new List<SaeTrainer> { new StandardTrainer(new StandardSae(16, 32), 0.1) };
        var run = () => SaeTraining.Run(trainers, source, new TrainingOptions { BatchSize = 4, Steps = 1 });
        run.Should().Throw<ArgumentException>().WithMessage("*takes d = 16; the activations have d = 3*");
        Release(trainers);
    }

    [Fact]
    public void Normalised_training_saves_an_sae_for_raw_activations()
    {
        var values = new float[400, 16];
        using (var data = new SyntheticDictionary(16, 24, 0.15, seed: 6))
        using (var samples = data.Sample(400).mul_(250))
            samples.data<float>().CopyTo(System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref values[0, 0], values.Length));
        using var source = new InMemoryActivations(values);
        using var trainer = new StandardTrainer(new StandardSae(16, 32, seed: 1), 0.1, 1e-3, new LinearWarmup(5));
        var result = SaeTraining.Run([trainer], source, new TrainingOptions { BatchSize = 32, Steps = 40, NormalizeActivations = true });
        result.InputScale.Should().BeApproximately(SaeTraining.InputScale(source), 1e-12);

        // The scale makes the mean squared norm 1.
        using var x = tensor(values);
        using var scaled = x * result.InputScale;
        scaled.square().sum(1).mean().item<float>().Should().BeApproximately(1f, 1e-3f);

        SaeFiles.Save(trainer.Sae, _dir, inputScale: result.InputScale);
        using var saved = SaeFiles.Load(_dir);
        using var featuresOfScaled = trainer.Sae.Encode(scaled);
        using var featuresOfRaw = saved.Encode(x);
        var difference = (featuresOfRaw - featuresOfScaled).abs().max().item<float>();
        difference.Should().BeLessThan(1e-3f);
        using var reconstruction = saved.Reconstruct(x);
        using var expected = trainer.Sae.Reconstruct(scaled).div_(result.InputScale);
        ((reconstruction - expected).abs().max().item<float>() / expected.abs().max().item<float>()).Should().BeLessThan(1e-5f);
    }

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class SynchronousProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
