namespace Sae.Core.Training;

/// <summary>
/// A training's loss or weights became NaN or infinite. The run stopped there: a non-finite loss is never
/// applied to the weights, non-finite weights are never written, and the last checkpoint, if any, is the last
/// good state.
/// </summary>
public sealed class NonFiniteTrainingException : InvalidOperationException
{
    /// <summary>Creates the exception: <paramref name="what"/>'s <paramref name="quantity"/> ("loss", or a weight's name) was <paramref name="value"/> at step <paramref name="step"/> (0-based).</summary>
    public NonFiniteTrainingException(string what, long step, string quantity, double value)
        : base($"{what}: the {quantity} became {value} at step {step}; training stopped without applying or saving it (the last checkpoint, if any, stays). Lower the learning rate, or check the activations")
    {
        Step = step;
        Quantity = quantity;
        Value = value;
    }

    /// <summary>The step (0-based) at which the value was found.</summary>
    public long Step { get; }

    /// <summary>What was not finite: "loss", or the name of a weight.</summary>
    public string Quantity { get; }

    /// <summary>The (first) non-finite value: NaN, +∞ or −∞.</summary>
    public double Value { get; }
}
