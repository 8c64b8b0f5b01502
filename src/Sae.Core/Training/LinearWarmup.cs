using System.Text.Json.Serialization;

namespace Sae.Core.Training;

/// <summary>
/// <see cref="Target"/> · min(step / <see cref="WarmupSteps"/>, 1): the reference's learning-rate
/// warm-up (a LambdaLR whose factor is 0 at step 0, so the first update does not move the weights),
/// and the sparsity-coefficient warm-up.
/// </summary>
/// <param name="WarmupSteps">Steps to reach the target; 0 for none.</param>
/// <param name="Target">The value after the warm-up.</param>
public sealed record LinearWarmup(
    [property: JsonPropertyName("warmup_steps")] long WarmupSteps,
    [property: JsonPropertyName("target")] double Target = 1.0) : IAnnealingSchedule
{
    /// <inheritdoc />
    public double ValueAt(long step) =>
        WarmupSteps <= 0 ? Target : Target * Math.Min((double)step / WarmupSteps, 1.0);
}
