using static TorchSharp.torch;

namespace Sae.Metrics.Probes;

/// <summary>
/// Activations → predicted 0/1 labels of one board state property. Board reconstruction is "score an
/// <see cref="IBoardStateProbe"/> on the test split", so an SAE whose features were labelled, a linear
/// probe and a random baseline are scored by the same calculator and are comparable by construction.
/// </summary>
public interface IBoardStateProbe
{
    /// <summary>The width of the activations the probe reads (features of an SAE, or the model's d).</summary>
    int InputDimension { get; }

    /// <summary>The number of label elements it predicts (R · R · C of its BSP).</summary>
    int Elements { get; }

    /// <summary>The alternative predictions it makes at once; at least one.</summary>
    IReadOnlyList<ProbeVariant> Variants { get; }

    /// <summary>
    /// Predictions for activations <paramref name="acts_nD"/> [n, <see cref="InputDimension"/>]:
    /// bool [n, variants, <see cref="Elements"/>]. The result belongs to the caller's dispose scope.
    /// </summary>
    Tensor Predict(Tensor acts_nD);
}
