using Sae.Core.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sae.Core.Tests.Training;

public class ConstrainedAdamTests
{
    [Fact]
    public void A_constant_gradient_moves_a_parameter_by_the_learning_rate_each_step()
    {
        // Adam's bias correction makes m̂/√v̂ = g/|g| for a constant g: steps of exactly lr.
        using var p = new Parameter(tensor(new float[] { 1f }));
        using var adam = new ConstrainedAdam([p], []);
        var values = new List<float>();
        for (var i = 0; i < 3; i++)
        {
            p.grad = tensor(new float[] { 0.5f });
            adam.Step(0.1);
            values.Add(p.data<float>()[0]);
        }
        values[0].Should().BeApproximately(0.9f, 1e-6f);
        values[1].Should().BeApproximately(0.8f, 1e-6f);
        values[2].Should().BeApproximately(0.7f, 1e-6f);
        adam.StepCount.Should().Be(3);
    }

    [Fact]
    public void Constrained_rows_lose_their_parallel_gradient_and_stay_unit_norm()
    {
        using var w = new Parameter(tensor(new float[,] { { 1, 0 }, { 0, 1 } }));
        using var adam = new ConstrainedAdam([w], [w]);
        w.grad = tensor(new float[,] { { 1, 1 }, { 2, 0 } });
        adam.Step(0.1);
        w.grad!.data<float>().ToArray().Should().Equal(0f, 1f, 2f, 0f);
        using var norms = w.norm(1, keepdim: false, p: 2);
        norms.data<float>().ToArray().Should().OnlyContain(n => Math.Abs(n - 1) < 1e-6);
        // Row 0 moved along +y only (its gradient's x part was parallel), so x stays positive and y went negative.
        var row0 = w.data<float>().ToArray()[..2];
        row0[0].Should().BeGreaterThan(0.99f);
        row0[1].Should().BeLessThan(0);
    }

    [Fact]
    public void State_round_trips_and_continues_identically()
    {
        using var a = new Parameter(tensor(new float[] { 1f, -2f }));
        using var b = new Parameter(tensor(new float[] { 1f, -2f }));
        using var adamA = new ConstrainedAdam([a], [], beta1: 0);
        using var adamB = new ConstrainedAdam([b], [], beta1: 0);
        a.grad = tensor(new float[] { 0.3f, -0.1f });
        adamA.Step(0.01);
        var (count, m, v) = adamA.SaveState();
        adamB.RestoreState(count, m, v);
        using (var noGrad = no_grad()) b.copy_(a);
        a.grad = tensor(new float[] { 0.2f, 0.4f });
        b.grad = tensor(new float[] { 0.2f, 0.4f });
        adamA.Step(0.01);
        adamB.Step(0.01);
        b.data<float>().ToArray().Should().Equal(a.data<float>().ToArray());
    }
}
