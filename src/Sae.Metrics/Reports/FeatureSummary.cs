namespace Sae.Metrics.Reports;

/// <summary>One SAE feature as the feature browser lists it, measured on the train split.</summary>
/// <param name="Feature">The feature's index in the SAE.</param>
/// <param name="Density">The fraction of positions at which it is on (activation &gt; 0).</param>
/// <param name="MaxActivation">Its largest activation.</param>
/// <param name="MaxLift">Its largest lift over the BSP's elements: P(element | on) − P(element); how board-specific it is.</param>
/// <param name="Square">The square of its best element (by F1 over every threshold), or null for a feature never on.</param>
/// <param name="Channel">The class of its best element.</param>
/// <param name="Threshold">The threshold (a fraction of its maximum) at which that F1 is reached.</param>
/// <param name="Precision">Precision of the feature for that element at that threshold.</param>
/// <param name="Recall">Recall of the feature for that element at that threshold.</param>
/// <param name="F1">The F1 of precision and recall, as coverage computes it (docs/reference.md §4).</param>
/// <param name="LabelsAnything">Whether it labels any element at any threshold (precision ≥ 0.95 and TP ≥ 10): whether board reconstruction uses it.</param>
public sealed record FeatureSummary(int Feature, double Density, double MaxActivation, double MaxLift, int? Square, int Channel, double Threshold,
    double Precision, double Recall, double F1, bool LabelsAnything);
