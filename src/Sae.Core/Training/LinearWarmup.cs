using System.Text.Json.Serialization;

namespace Sae.Core.Training;

/// <summary>
/// <see cref="Target"/> · min(step / <see cref="WarmupSteps"/>, 1): the reference's learning-rate
/// warm-up (a LambdaLR whose factor is 0 at step 0, so the first update does not move the weights),
/// and the sparsity-coefficient warm-up. With a <see cref="Period"/> the warm-up restarts every
/// <see cref="Period"/> steps, as the reference's does after each dead-feature resampling
/// (min((step mod period) / warm-up, 1)).
/// </summary>
/// <param name="WarmupSteps">Steps to reach the target; 0 for none.</param>
/// <param name="Target">The value after the warm-up.</param>
/// <param name="Period">Restart the warm-up every this many steps (0: never).</param>
public sealed record LinearWarmup(
    [property: JsonPropertyName("warmup_steps")] long WarmupSteps,
    [property: JsonPropertyName("target")] double Target = 1.0,
    [property: JsonPropertyName("period")] long Period = 0) : IAnnealingSchedule
{
    /// <inheritdoc />
    public double ValueAt(long step)
    {
        var since = Period > 0 ? step % Period : step;
        return WarmupSteps <= 0 ? Target : Target * Math.Min((double)since / WarmupSteps, 1.0);
    }
}
