namespace Sae.Core.Training;

/// <summary>A value as a function of the training step: a learning-rate factor, a penalty, an exponent.</summary>
public interface IAnnealingSchedule
{
    /// <summary>The value used at 0-based <paramref name="step"/>.</summary>
    double ValueAt(long step);
}
