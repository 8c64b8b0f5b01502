using Sae.Core.Activations;
using Sae.Core.Autoencoders;
using Sae.Core.Training;
using static TorchSharp.torch;

namespace Sae.Core.Tests.Training;

public sealed class BatchTopKTrainerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sae-batchtopk-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_initial_jumprelu_has_no_threshold_and_tied_weights()
    {
        using var sae = JumpReluSae.ForBatchTopK(8, 16, seed: 3);
        sae.threshold.data<float>().ToArray().Should().OnlyContain(t => t == -1);
        using var tied = sae.W_enc.t();
        tied.data<float>().ToArray().Should().Equal(sae.W_dec.data<float>().ToArray());
    }

    [Fact]
    public void Training_keeps_k_per_input_on_average_learns_a_threshold_and_recovers_the_dictionary()
    {
        using var data = new SyntheticDictionary(32, 48, 3.0 / 48, seed: 1);
        using var sae = JumpReluSae.ForBatchTopK(32, 96, seed: 1);
        using var trainer = new BatchTopKTrainer(sae, k: 3, learningRate: 1e-3, new LinearWarmup(100), deadTokenThreshold: 20_000, thresholdStartStep: 100);
        TrainingStepMetrics last = null!;
        for (long step = 0; step < 2000; step++)
        {
            using var scope = NewDisposeScope();
            last = trainer.Step(data.Sample(256), step);
        }
        last.L0.Should().BeApproximately(3, 0.01, "k·B activations are kept per batch");
        var threshold = sae.threshold.data<float>().ToArray();
        threshold.Should().OnlyContain(t => t == threshold[0]);
        threshold[0].Should().BeGreaterThan(0);
        data.Recovered(sae.W_dec).Should().BeGreaterThanOrEqualTo(0.9);

        // Used with its threshold, the saved JumpReLU SAE fires about k features per input too.
        SaeFiles.Save(sae, _dir);
        using var loaded = SaeFiles.Load(_dir);
        loaded.Should().BeOfType<JumpReluSae>();
        using var x = data.Sample(2000);
        using var f = loaded.Encode(x);
        using var active = f.gt(0).sum(1).to_type(ScalarType.Float32);
        active.mean().item<float>().Should().BeInRange(2f, 4.5f);
    }
}
