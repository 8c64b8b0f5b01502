using Sae.Core.LanguageModels;
using static TorchSharp.torch;
using Sae.Core.Native;

namespace Sae.Metrics.LanguageModels;

/// <summary>Walks token sequences in order, a batch at a time, without autograd and each batch in its own dispose scope.</summary>
internal static class SequenceBatches
{
    /// <summary>
    /// Calls <paramref name="batch"/> with the index of each batch's first sequence, its inputs and targets (on
    /// <paramref name="device"/>) and the number of scored targets (which may be 0).
    /// </summary>
    public static void ForEach(TokenSequences data, int batchSize, Device device, CancellationToken cancellationToken, Action<int, Tensor, Tensor, long> batch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        using var noGrad = no_grad();
        var indices = new int[batchSize];
        for (var start = 0; start < data.Count; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var count = Math.Min(batchSize, data.Count - start);
            for (var i = 0; i < count; i++) indices[i] = start + i;
            var (inputs, targets) = data.Batch(indices.AsSpan(0, count), device);
            var scored = targets.ne(Scalars.MinusOne).sum().item<long>();
            batch(start, inputs, targets, scored);
        }
    }
}
