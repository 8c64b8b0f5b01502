using System.Text.Json.Serialization;

namespace Sae.Core.Training;

/// <summary>
/// A learning-rate factor: linear warm-up from 0 over <see cref="WarmupSteps"/>, constant 1, then
/// linear decay to 0 from <see cref="DecayStart"/> to <see cref="TotalSteps"/> (no decay when
/// <see cref="DecayStart"/> is at or past the end).
/// </summary>
/// <param name="WarmupSteps">Steps of warm-up.</param>
/// <param name="DecayStart">The step at which the decay begins.</param>
/// <param name="TotalSteps">The step at which the factor reaches 0.</param>
public sealed record WarmupDecaySchedule(
    [property: JsonPropertyName("warmup_steps")] long WarmupSteps,
    [property: JsonPropertyName("decay_start")] long DecayStart,
    [property: JsonPropertyName("total_steps")] long TotalSteps) : IAnnealingSchedule
{
    /// <inheritdoc />
    public double ValueAt(long step)
    {
        var warm = WarmupSteps <= 0 ? 1.0 : Math.Min((double)step / WarmupSteps, 1.0);
        if (step < DecayStart || DecayStart >= TotalSteps) return warm;
        return warm * Math.Max(0.0, (double)(TotalSteps - step) / (TotalSteps - DecayStart));
    }
}
