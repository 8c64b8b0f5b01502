using Sae.Core.LanguageModels;

namespace Sae.Metrics.LanguageModels;

/// <summary>Mean next-token cross-entropy of a model over token sequences, averaged over scored tokens.</summary>
public static class SequenceLoss
{
    /// <summary>The loss of <paramref name="model"/> on <paramref name="data"/>, <paramref name="batchSize"/> sequences at a time (NaN when nothing is scored).</summary>
    public static double Measure(GptModel model, TokenSequences data, int batchSize = 64, CancellationToken cancellationToken = default)
    {
        double sum = 0;
        long scored = 0;
        SequenceBatches.ForEach(data, batchSize, model.Device, cancellationToken, (_, inputs, targets, n) =>
        {
            if (n == 0) return;
            using var loss = model.Loss(inputs, targets);
            sum += loss.item<float>() * n;
            scored += n;
        });
        return scored == 0 ? double.NaN : sum / scored;
    }
}
