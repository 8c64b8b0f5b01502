using Sae.Core.LanguageModels;
using static TorchSharp.torch;

namespace Sae.Metrics.LanguageModels;

/// <summary>Mean next-token cross-entropy of a model over token sequences, averaged over scored tokens.</summary>
public static class SequenceLoss
{
    /// <summary>The loss of <paramref name="model"/> on <paramref name="data"/>, <paramref name="batchSize"/> sequences at a time (NaN when nothing is scored).</summary>
    public static double Measure(GptModel model, TokenSequences data, int batchSize = 64, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        using var noGrad = no_grad();
        double sum = 0;
        long scored = 0;
        var indices = new int[batchSize];
        for (var start = 0; start < data.Count; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var count = Math.Min(batchSize, data.Count - start);
            for (var i = 0; i < count; i++) indices[i] = start + i;
            var (inputs, targets) = data.Batch(indices.AsSpan(0, count), model.Device);
            var n = targets.ne(-1).sum().item<long>();
            if (n == 0) continue;
            sum += model.Loss(inputs, targets).item<float>() * n;
            scored += n;
        }
        return scored == 0 ? double.NaN : sum / scored;
    }
}
