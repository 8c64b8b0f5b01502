using Sae.Core.Native;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sae.Core.Training;

/// <summary>
/// One update of a TorchSharp <see cref="Adam"/> or <see cref="AdamW"/> optimiser (PyTorch's: bias-corrected
/// moments, ε outside the square root; Adam's weight decay added to the gradient, AdamW's decoupled), applied
/// to its parameters and state in place of its own <c>step()</c>.
/// </summary>
/// <remarks>
/// TorchSharp 0.107's own <c>step()</c> passes every coefficient to libtorch as an implicitly converted
/// <see cref="Scalar"/> that the garbage collector may finalise during the native call (see
/// <see cref="Scalars"/>), so a long training fails at a random step. This update takes the same operations in
/// the same order, with each coefficient held until its call returns: its results are bit-identical to
/// <c>step()</c>'s, and the optimiser object, its state and its <c>save_state_dict</c> files stay TorchSharp's.
/// </remarks>
public static class AdamStep
{
    /// <summary>Updates every parameter of <paramref name="optimizer"/> that has a gradient, group by group.</summary>
    /// <exception cref="ArgumentException">A group asks for AMSGrad or maximisation, which this update does not take.</exception>
    public static void Apply(AdamW optimizer) => Update(optimizer, decoupled: true,
        options => options is AdamW.Options o ? new Settings(o.LearningRate!.Value, o.beta1!.Value, o.beta2!.Value, o.eps!.Value, o.weight_decay!.Value, o.amsgrad == true || o.maximize == true)
            : throw new ArgumentException("Not AdamW's options.", nameof(optimizer)),
        state => state is AdamW.State s ? (++s.step, s.exp_avg, s.exp_avg_sq) : throw new ArgumentException("Not AdamW's state.", nameof(optimizer)));

    /// <summary>Updates every parameter of <paramref name="optimizer"/> that has a gradient, group by group.</summary>
    /// <exception cref="ArgumentException">A group asks for AMSGrad or maximisation, which this update does not take.</exception>
    public static void Apply(Adam optimizer) => Update(optimizer, decoupled: false,
        options => options is Adam.Options o ? new Settings(o.LearningRate!.Value, o.beta1!.Value, o.beta2!.Value, o.eps!.Value, o.weight_decay!.Value, o.amsgrad == true || o.maximize == true)
            : throw new ArgumentException("Not Adam's options.", nameof(optimizer)),
        state => state is Adam.State s ? (++s.step, s.exp_avg, s.exp_avg_sq) : throw new ArgumentException("Not Adam's state.", nameof(optimizer)));

    /// <summary>A group's options as this update reads them; <paramref name="Unsupported"/> when it asks for AMSGrad or maximisation.</summary>
    private sealed record Settings(double LearningRate, double Beta1, double Beta2, double Epsilon, double WeightDecay, bool Unsupported);

    /// <param name="optimizer">The optimiser.</param>
    /// <param name="decoupled">AdamW's weight decay (the parameter shrinks) rather than Adam's (the decay is added to the gradient).</param>
    /// <param name="settings">Reads a group's options.</param>
    /// <param name="advance">Counts a step in a parameter's state; returns the new count and the two moments.</param>
    private static void Update(OptimizerHelper optimizer, bool decoupled, Func<OptimizerOptions, Settings> settings,
        Func<OptimizerState, (long Step, Tensor First, Tensor Second)> advance)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var states = optimizer.state_dict().State;
        var index = 0;
        foreach (ParamGroup group in optimizer.ParamGroups)
        {
            var o = settings(group.Options);
            if (o.Unsupported) throw new ArgumentException("AdamStep takes neither AMSGrad nor maximisation.", nameof(optimizer));
            using var coefficients = new Coefficients(o.LearningRate, o.Beta1, o.Beta2, o.Epsilon);
            // AdamW shrinks the parameter; Adam adds the decay to the gradient, when there is one.
            using var shrink = decoupled ? (1.0 - o.LearningRate * o.WeightDecay).ToScalar() : null;
            using var decay = !decoupled && o.WeightDecay != 0.0 ? o.WeightDecay.ToScalar() : null;
            foreach (var parameter in group.Parameters)
            {
                var state = states[index++];
                using var gradient = parameter.grad;
                if (gradient is null) continue;
                var (step, first, second) = advance(state);
                if (shrink is not null) parameter.mul_(shrink);
                var effective = decay is not null ? gradient.add(parameter, decay) : gradient;
                coefficients.Update(parameter, effective, first, second, step);
            }
        }
    }

    /// <summary>A group's coefficients as scalars held for the group's updates.</summary>
    private sealed class Coefficients(double learningRate, double beta1, double beta2, double epsilon) : IDisposable
    {
        private readonly Scalar _keep1 = beta1.ToScalar(), _take1 = (1.0 - beta1).ToScalar();
        private readonly Scalar _keep2 = beta2.ToScalar(), _take2 = (1.0 - beta2).ToScalar();
        private readonly Scalar _epsilon = epsilon.ToScalar();

        /// <summary>The moment updates and the step of one parameter whose step count is already <paramref name="step"/>.</summary>
        public void Update(Tensor parameter, Tensor gradient, Tensor firstMoment, Tensor secondMoment, long step)
        {
            using var root2 = Math.Sqrt(1.0 - Math.Pow(beta2, step)).ToScalar();
            using var stepSize = (0.0 - learningRate / (1.0 - Math.Pow(beta1, step))).ToScalar();
            firstMoment.mul_(_keep1).add_(gradient, _take1);
            secondMoment.mul_(_keep2).addcmul_(gradient, gradient, _take2);
            var denominator = secondMoment.sqrt().div(root2).add_(_epsilon, Scalars.One);
            parameter.addcdiv_(firstMoment, denominator, stepSize);
        }

        public void Dispose()
        {
            foreach (var s in new[] { _keep1, _take1, _keep2, _take2, _epsilon }) s.Dispose();
        }
    }
}
