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
    public static void Apply(AdamW optimizer)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var states = optimizer.state_dict().State;
        var index = 0;
        foreach (ParamGroup group in optimizer.ParamGroups)
        {
            var o = (AdamW.Options)group.Options;
            Check(o.amsgrad, o.maximize);
            var coefficients = new Coefficients(o.LearningRate!.Value, o.beta1!.Value, o.beta2!.Value, o.eps!.Value);
            using var shrink = (1.0 - o.LearningRate!.Value * o.weight_decay!.Value).ToScalar();
            foreach (var parameter in group.Parameters)
            {
                var state = (AdamW.State)states[index++];
                using var gradient = parameter.grad;
                if (gradient is null) continue;
                state.step++;
                parameter.mul_(shrink);
                coefficients.Update(parameter, gradient, state.exp_avg, state.exp_avg_sq, state.step);
            }
            coefficients.Dispose();
        }
    }

    /// <summary>Updates every parameter of <paramref name="optimizer"/> that has a gradient, group by group.</summary>
    /// <exception cref="ArgumentException">A group asks for AMSGrad or maximisation, which this update does not take.</exception>
    public static void Apply(Adam optimizer)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var states = optimizer.state_dict().State;
        var index = 0;
        foreach (ParamGroup group in optimizer.ParamGroups)
        {
            var o = (Adam.Options)group.Options;
            Check(o.amsgrad, o.maximize);
            var coefficients = new Coefficients(o.LearningRate!.Value, o.beta1!.Value, o.beta2!.Value, o.eps!.Value);
            var decay = o.weight_decay!.Value;
            using var decayScalar = decay.ToScalar();
            foreach (var parameter in group.Parameters)
            {
                var state = (Adam.State)states[index++];
                using var gradient = parameter.grad;
                if (gradient is null) continue;
                state.step++;
                var decayed = decay != 0.0 ? gradient.add(parameter, decayScalar) : gradient;
                coefficients.Update(parameter, decayed, state.exp_avg, state.exp_avg_sq, state.step);
            }
            coefficients.Dispose();
        }
    }

    private static void Check(bool? amsgrad, bool? maximize)
    {
        if (amsgrad == true || maximize == true)
            throw new ArgumentException("AdamStep takes neither AMSGrad nor maximisation.");
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
