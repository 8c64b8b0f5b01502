using Sae.Core.Native;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sae.Core.Training;

/// <summary>
/// Adam (PyTorch's update, bias-corrected, ε outside the square root) with the reference's
/// constraint on decoder directions: before each update the component of a constrained row's gradient
/// parallel to the row is removed, and after it the row is scaled back to unit norm. Its state (step
/// count and both moments) is exposed for checkpoints. Buffers are allocated once.
/// </summary>
public sealed class ConstrainedAdam : IDisposable
{
    private readonly Parameter[] _parameters;
    private readonly HashSet<Parameter> _unitRows;
    private readonly Tensor[] _firstMoments;
    private readonly Tensor[] _secondMoments;
    private readonly Tensor[] _scratch;
    // β₁, 1 − β₁, β₂, 1 − β₂ and ε as scalars held for the optimiser's life (see Scalars).
    private readonly Scalar _keep1, _take1, _keep2, _take2, _epsilon;

    /// <summary>Creates the optimiser.</summary>
    /// <param name="parameters">Every parameter to update.</param>
    /// <param name="unitNormRows">Those of them whose rows are kept at unit norm (W_dec).</param>
    /// <param name="beta1">β₁: 0.9 for the standard recipe, 0 for the gated one.</param>
    /// <param name="beta2">β₂.</param>
    /// <param name="epsilon">ε.</param>
    public ConstrainedAdam(IEnumerable<Parameter> parameters, IEnumerable<Parameter> unitNormRows,
        double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
    {
        _parameters = [.. parameters];
        _unitRows = [.. unitNormRows];
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        (_keep1, _take1, _keep2, _take2, _epsilon) = (beta1.ToScalar(), (1 - beta1).ToScalar(), beta2.ToScalar(), (1 - beta2).ToScalar(), epsilon.ToScalar());
        // Long-lived: kept out of any dispose scope the caller may have open.
        _firstMoments = [.. _parameters.Select(p => zeros_like(p).DetachFromDisposeScope())];
        _secondMoments = [.. _parameters.Select(p => zeros_like(p).DetachFromDisposeScope())];
        _scratch = [.. _parameters.Select(p => zeros_like(p).DetachFromDisposeScope())];
    }

    /// <summary>β₁.</summary>
    public double Beta1 { get; }

    /// <summary>β₂.</summary>
    public double Beta2 { get; }

    /// <summary>ε.</summary>
    public double Epsilon { get; }

    /// <summary>Updates taken so far.</summary>
    public long StepCount { get; private set; }

    /// <summary>Clears every parameter's gradient.</summary>
    public void ZeroGrad()
    {
        foreach (var p in _parameters) p.grad?.zero_();
    }

    /// <summary>One update with learning rate <paramref name="learningRate"/> from the parameters' gradients.</summary>
    public void Step(double learningRate)
    {
        using var noGrad = no_grad();
        StepCount++;
        var correction1 = 1 - Math.Pow(Beta1, StepCount);
        using var sqrtCorrection2 = Math.Sqrt(1 - Math.Pow(Beta2, StepCount)).ToScalar();
        using var stepSize = (-learningRate / correction1).ToScalar();
        for (var i = 0; i < _parameters.Length; i++)
        {
            var p = _parameters[i];
            var g = p.grad;
            if (g is null) continue;
            if (_unitRows.Contains(p)) RemoveParallelComponent(p, g);
            var m = _firstMoments[i];
            var v = _secondMoments[i];
            m.mul_(_keep1).add_(g, alpha: _take1);
            v.mul_(_keep2).addcmul_(g, g, value: _take2);
            var denominator = _scratch[i].copy_(v).sqrt_().div_(sqrtCorrection2).add_(_epsilon, Scalars.One);
            p.addcdiv_(m, denominator, value: stepSize);
            if (_unitRows.Contains(p))
            {
                using var norms = p.norm(1, keepdim: true, p: 2);
                p.div_(norms);
            }
        }
    }

    /// <summary>Zeroes both moments of <paramref name="parameter"/> at <paramref name="index"/> along <paramref name="dimension"/> (after resampling those features).</summary>
    /// <exception cref="ArgumentException">The parameter is not one this optimiser updates.</exception>
    public void ResetState(Parameter parameter, Tensor index, long dimension)
    {
        var i = Array.IndexOf(_parameters, parameter);
        if (i < 0) throw new ArgumentException("The parameter is not one this optimiser updates.", nameof(parameter));
        using var noGrad = no_grad();
        _firstMoments[i].index_fill_(dimension, index, Scalars.Zero);
        _secondMoments[i].index_fill_(dimension, index, Scalars.Zero);
    }

    /// <summary>The state for a checkpoint: step count, then each parameter's two moments (copies on the CPU).</summary>
    public (long StepCount, Tensor[] FirstMoments, Tensor[] SecondMoments) SaveState() =>
        (StepCount, [.. _firstMoments.Select(Native.HostTensors.Clone)], [.. _secondMoments.Select(Native.HostTensors.Clone)]);

    /// <summary>Restores a state from <see cref="SaveState"/>.</summary>
    /// <exception cref="ArgumentException">The moments do not match the parameters in number or shape.</exception>
    public void RestoreState(long stepCount, IReadOnlyList<Tensor> firstMoments, IReadOnlyList<Tensor> secondMoments)
    {
        if (firstMoments.Count != _parameters.Length || secondMoments.Count != _parameters.Length)
            throw new ArgumentException($"The optimiser has {_parameters.Length} parameters; the state has {firstMoments.Count} and {secondMoments.Count} moments.");
        using var noGrad = no_grad();
        for (var i = 0; i < _parameters.Length; i++)
        {
            if (!firstMoments[i].shape.SequenceEqual(_parameters[i].shape) || !secondMoments[i].shape.SequenceEqual(_parameters[i].shape))
                throw new ArgumentException($"Optimiser state {i} has shape [{string.Join(", ", firstMoments[i].shape)}]; the parameter is [{string.Join(", ", _parameters[i].shape)}].");
            _firstMoments[i].copy_(firstMoments[i]);
            _secondMoments[i].copy_(secondMoments[i]);
        }
        StepCount = stepCount;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var t in _firstMoments.Concat(_secondMoments).Concat(_scratch)) t.Dispose();
        foreach (var s in new[] { _keep1, _take1, _keep2, _take2, _epsilon }) s.Dispose();
    }

    /// <summary>g ← g − (g·ŵ) ŵ for every row w of <paramref name="p"/>, ŵ = w / |w|.</summary>
    private static void RemoveParallelComponent(Tensor p, Tensor g)
    {
        using var scope = NewDisposeScope();
        var unit = p / p.norm(1, keepdim: true, p: 2);
        var parallel = (g * unit).sum(1, keepdim: true);
        g.sub_(unit.mul_(parallel));
    }
}
