using Sae.Core.Autoencoders;
using Sae.Core.LanguageModels;
using Sae.Metrics.LanguageModels;
using static TorchSharp.torch;

namespace Sae.Metrics.Unsupervised;

/// <summary>
/// Loss recovered (docs/reference.md §4): (CE_sae − CE_zero) / (CE_clean − CE_zero), the next-token
/// cross-entropies with the residual stream after the SAE's layer untouched, replaced by the SAE's
/// reconstruction, and replaced by zeros. 1 means the reconstruction loses nothing; 0 means it is as
/// bad as deleting the layer's output.
/// </summary>
/// <param name="CleanLoss">CE with the model untouched.</param>
/// <param name="SaeLoss">CE with the reconstruction spliced in.</param>
/// <param name="ZeroLoss">CE with zeros spliced in.</param>
public sealed record LossRecovered(double CleanLoss, double SaeLoss, double ZeroLoss)
{
    /// <summary>The fraction of the loss recovered.</summary>
    public double Fraction => (SaeLoss - ZeroLoss) / (CleanLoss - ZeroLoss);

    /// <summary>Measures <paramref name="sae"/> at <paramref name="layer"/> of <paramref name="model"/> on <paramref name="data"/>, <paramref name="batchSize"/> sequences at a time; losses are averaged over scored tokens.</summary>
    public static LossRecovered Measure(GptModel model, int layer, ISparseAutoencoder sae, TokenSequences data, int batchSize = 64, CancellationToken cancellationToken = default)
    {
        if (sae.InputDimension != model.Config.ModelDimension)
            throw new ArgumentException($"The SAE reads {sae.InputDimension}-dimensional activations; the model's residual stream has {model.Config.ModelDimension}.", nameof(sae));
        double clean = 0, patched = 0, zero = 0;
        long tokens = 0;
        SequenceBatches.ForEach(data, batchSize, model.Device, cancellationToken, (_, inputs, targets, scored) =>
        {
            if (scored == 0) return;
            using var scope = NewDisposeScope(); // holds each loss through the native call that reads it
            clean += model.Loss(inputs, targets).item<float>() * scored;
            patched += model.Loss(inputs, targets, layer, x => sae.Reconstruct(x.reshape(-1, x.shape[2])).view(x.shape)).item<float>() * scored;
            zero += model.Loss(inputs, targets, layer, x => zeros_like(x)).item<float>() * scored;
            tokens += scored;
        });
        if (tokens == 0) throw new ArgumentException("The sequences have no scored tokens.", nameof(data));
        return new LossRecovered(clean / tokens, patched / tokens, zero / tokens);
    }
}
