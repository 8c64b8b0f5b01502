using System.Text.Json.Serialization;

namespace Sae.Core.Training;

/// <summary>
/// nanoGPT's learning-rate factor: linear warm-up from 0 to 1 over <see cref="WarmupSteps"/>, then a
/// half cosine from 1 down to <see cref="MinimumFactor"/> at <see cref="TotalSteps"/>, constant after.
/// </summary>
/// <param name="WarmupSteps">Steps of warm-up.</param>
/// <param name="TotalSteps">The step at which the cosine reaches its floor.</param>
/// <param name="MinimumFactor">The floor (nanoGPT: a tenth of the peak).</param>
public sealed record WarmupCosineSchedule(
    [property: JsonPropertyName("warmup_steps")] long WarmupSteps,
    [property: JsonPropertyName("total_steps")] long TotalSteps,
    [property: JsonPropertyName("minimum_factor")] double MinimumFactor = 0.1) : IAnnealingSchedule
{
    /// <inheritdoc />
    public double ValueAt(long step)
    {
        if (step < WarmupSteps) return (step + 1.0) / WarmupSteps;
        if (step >= TotalSteps || TotalSteps <= WarmupSteps) return MinimumFactor;
        var progress = (double)(step - WarmupSteps) / (TotalSteps - WarmupSteps);
        return MinimumFactor + 0.5 * (1 + Math.Cos(Math.PI * progress)) * (1 - MinimumFactor);
    }
}
