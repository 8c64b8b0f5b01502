using Sae.Core.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sae.Core.Tests.Training;

public class AdamStepTests
{
    private static (Parameter A, Parameter B)[] Twins(int seed)
    {
        using var generator = new Generator((ulong)seed);
        return
        [
            .. new long[][] { [5, 3], [7] }.Select(shape =>
            {
                var initial = randn(shape, generator: generator);
                return (new Parameter(initial.clone()), new Parameter(initial.clone()));
            }),
        ];
    }

    /// <summary>Steps both twins on the same gradients: one by TorchSharp's own step, one by AdamStep.</summary>
    private static void Run((Parameter A, Parameter B)[] twins, Action own, Action ours, int steps)
    {
        using var generator = new Generator(9);
        for (var s = 0; s < steps; s++)
        {
            foreach (var (a, b) in twins)
            {
                var g = randn(a.shape, generator: generator);
                a.grad = g.clone();
                b.grad = g.clone();
            }
            own();
            ours();
        }
    }

    [Fact]
    public void AdamW_update_is_bit_identical_to_TorchSharps_step()
    {
        var twins = Twins(1);
        using var own = optim.AdamW([.. twins.Select(t => t.A)], lr: 1e-2, beta1: 0.9, beta2: 0.99, weight_decay: 0.1);
        using var ours = optim.AdamW([.. twins.Select(t => t.B)], lr: 1e-2, beta1: 0.9, beta2: 0.99, weight_decay: 0.1);
        Run(twins, () => own.step(), () => AdamStep.Apply(ours), steps: 12);
        foreach (var (a, b) in twins) b.allclose(a, 0, 0).Should().BeTrue();
        twins[0].B.allclose(Twins(1)[0].B, 1e-3, 1e-3).Should().BeFalse("the parameters moved");
    }

    [Fact]
    public void Adam_update_with_weight_decay_is_bit_identical_to_TorchSharps_step()
    {
        var twins = Twins(2);
        using var own = optim.Adam([.. twins.Select(t => t.A)], lr: 5e-2, weight_decay: 0.01);
        using var ours = optim.Adam([.. twins.Select(t => t.B)], lr: 5e-2, weight_decay: 0.01);
        Run(twins, () => own.step(), () => AdamStep.Apply(ours), steps: 12);
        foreach (var (a, b) in twins) b.allclose(a, 0, 0).Should().BeTrue();
    }

    [Fact]
    public void AMSGrad_is_refused()
    {
        var twins = Twins(3);
        using var amsgrad = optim.Adam([.. twins.Select(t => t.B)], amsgrad: true);
        FluentActions.Invoking(() => AdamStep.Apply(amsgrad)).Should().Throw<ArgumentException>().WithMessage("*AMSGrad*");
    }
}
