using Sae.Core.Autoencoders;
using Sae.Core.Training;
using static TorchSharp.torch;

namespace Sae.Core.Tests.Training;

public class ResamplingTests
{
    [Fact]
    public void Dead_features_get_directions_of_batch_inputs_and_fresh_optimiser_state()
    {
        using var generator = new Generator(8, CPU);
        using var sae = new StandardSae(8, 16, seed: 2);
        using (var noGrad = no_grad()) sae.b_enc.narrow(0, 0, 3).fill_(-1000); // features 0, 1, 2 never fire
        using var trainer = new StandardTrainer(sae, 0.01, 1e-3, pAnnealing: null, resampleSteps: 10);
        using var x = randn(64, 8, generator: generator);
        for (long step = 0; step <= 10; step++) trainer.Step(x, step);

        // Step 10 resampled the three dead features: bias 0, unit decoder rows pointing at batch inputs.
        sae.b_enc.data<float>().ToArray().Take(3).Should().Equal(0f, 0f, 0f);
        using var rows = sae.W_dec.narrow(0, 0, 3);
        using var unitInputs = x / x.norm(1, keepdim: true, p: 2);
        using var cosines = rows.matmul(unitInputs.t()).max(1).values;
        cosines.data<float>().ToArray().Should().OnlyContain(c => Math.Abs(c - 1) < 1e-5);
        var (_, first, second) = trainer.Optimizer.SaveState();
        var names = sae.Parameters.Keys.ToList();
        first[names.IndexOf("b_enc")].data<float>().ToArray().Take(3).Should().Equal(0f, 0f, 0f);
        using var encoderMoments = second[names.IndexOf("W_enc")].narrow(1, 0, 3);
        encoderMoments.abs().sum().item<float>().Should().Be(0);
        foreach (var t in first.Concat(second)) t.Dispose();
    }

    [Fact]
    public void The_warm_up_restarts_after_each_resampling_period()
    {
        var schedule = new LinearWarmup(10, Period: 100);
        schedule.ValueAt(5).Should().Be(0.5);
        schedule.ValueAt(50).Should().Be(1);
        schedule.ValueAt(105).Should().Be(0.5);
    }
}
