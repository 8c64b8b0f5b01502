using Sae.Core.Activations;
using Sae.Core.Autoencoders;
using Sae.Core.LanguageModels;
using Sae.Core.Training;
using Sae.Core.Tests.Training;

namespace Sae.Core.Tests.Native;

/// <summary>
/// Training under constant garbage collection: before every scalar handed to libtorch was kept alive for its
/// call, the language-model step failed here within seconds ("Expected false to be true … toFloat at
/// c10/core/Scalar.h"), as long trainings did at random after minutes or hours.
/// </summary>
public class GcStressTests
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(3);

    [Fact]
    public void Language_model_training_survives_collections_during_native_calls()
    {
        var config = new GptConfig { Layers = 1, Heads = 2, ModelDimension = 16, ContextLength = 8, VocabularySize = 11 };
        var tokens = new long[16 * 9];
        var random = new Random(1);
        for (var i = 0; i < tokens.Length; i++) tokens[i] = random.Next(1, config.VocabularySize);
        var data = new TokenSequences(tokens, 16, 9);
        using var model = new GptModel(config, 1);
        var options = new GptTrainingOptions { Steps = 40, BatchSize = 2, WarmupSteps = 1 };
        var losses = new List<double>();
        CollectionPressure.Repeat(Duration, () => losses.Add(GptTraining.Train(model, data, options)));
        losses.Should().AllSatisfy(l => double.IsFinite(l).Should().BeTrue());
    }

    private static SaeTrainer Trainer(string architecture, long steps) => architecture switch
    {
        "standard" => new StandardTrainer(new StandardSae(8, 16, seed: 1), 0.1, 1e-3, new LinearWarmup(2), resampleSteps: 7),
        "standard-anneal" => new StandardTrainer(new StandardSae(8, 16, seed: 1), 0.1, 1e-3, new LinearWarmup(2), new PAnnealing(0.1, steps, annealStart: 4, updates: 4)),
        "gated" => new GatedTrainer(new GatedSae(8, 16, seed: 2), 0.5, 1e-3, new LinearWarmup(2)),
        "gated-anneal" => new GatedTrainer(new GatedSae(8, 16, seed: 2), 0.5, 1e-3, new LinearWarmup(2), new PAnnealing(0.5, steps, annealStart: 4, updates: 4)),
        // A dead-feature threshold of a few batches, so that AuxK runs too.
        "topk" => new TopKTrainer(new TopKSae(8, 16, k: 3, seed: 3), 1e-3, new LinearWarmup(2), deadTokenThreshold: 48),
        "batchtopk" => new BatchTopKTrainer(JumpReluSae.ForBatchTopK(8, 16, seed: 4), k: 3, 1e-3, new LinearWarmup(2), deadTokenThreshold: 48, thresholdStartStep: 3),
        "jumprelu" => new JumpReluTrainer(new JumpReluSae(8, 16, seed: 5), 0.01, 1e-3, bandwidth: 0.05, learningRateFactor: new LinearWarmup(2)),
        _ => throw new ArgumentException(architecture),
    };

    [Theory]
    [InlineData("standard")]
    [InlineData("standard-anneal")]
    [InlineData("gated")]
    [InlineData("gated-anneal")]
    [InlineData("topk")]
    [InlineData("batchtopk")]
    [InlineData("jumprelu")]
    public void Sae_training_survives_collections_during_native_calls(string architecture)
    {
        using var data = new SyntheticDictionary(8, 12, 0.2, seed: 3);
        using var samples = data.Sample(256);
        using var source = new TensorActivations(samples);
        var options = new TrainingOptions { BatchSize = 16, Steps = 20, Seed = 1 };
        CollectionPressure.Repeat(Duration, () =>
        {
            using var trainer = Trainer(architecture, options.Steps);
            SaeTraining.Run([trainer], source, options);
            // In a dispose scope, which keeps each temporary reachable: an isfinite() result referenced by nothing once its handle
            // is passed to all() was finalised by the collecting thread during that call (a Release-only crash of this test).
            using var scope = TorchSharp.torch.NewDisposeScope();
            foreach (var p in trainer.Sae.Parameters.Values) p.isfinite().all().item<bool>().Should().BeTrue();
        });
    }
}
