namespace Sae.Metrics.Probes;

/// <summary>
/// One of the alternative predictions a probe makes at once (e.g. one per activation threshold).
/// </summary>
/// <param name="Name">A short name for reports, e.g. <c>t=0.3</c>, <c>last</c> or <c>linear</c>.</param>
/// <param name="Selectable">Whether board reconstruction may choose this variant as the reported one.</param>
/// <param name="Threshold">The activation threshold (fraction of each feature's maximum, k / 10 for threshold k) the variant stands for, if any.</param>
public sealed record ProbeVariant(string Name, bool Selectable, double? Threshold = null);
