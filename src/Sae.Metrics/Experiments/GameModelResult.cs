using Sae.Metrics.LanguageModels;

namespace Sae.Metrics.Experiments;

/// <summary>What <see cref="GameModelTraining.Train"/> measured: the last step's loss, the held-out measures (null when none were held out), the seconds taken.</summary>
/// <param name="TrainLoss">The last training step's loss (nats).</param>
/// <param name="HeldOut">The held-out loss and legal-move rate (NaN for a game without one).</param>
/// <param name="Seconds">Training and measuring, in seconds.</param>
public sealed record GameModelResult(double TrainLoss, LegalMoveRateResult? HeldOut, double Seconds);
