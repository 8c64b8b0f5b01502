using Sae.Core.Activations;
using Sae.Core.LanguageModels;
using Sae.Games.Othello;
using static TorchSharp.torch;

namespace Sae.Metrics.LanguageModels;

/// <summary>
/// Runs a model over games and writes the residual stream after one block, at the positions each game
/// defines, into an <see cref="ActivationStore"/> for the SAE trainer. Beside the store's shards,
/// <c>positions.npy</c> (int32 [rows, 2]) gives each row's game index and token position, so that
/// board states can be paired with the rows later. Forward passes are batched, run without autograd,
/// and stop at the block asked for.
/// </summary>
public static class ActivationCollector
{
    /// <summary>The file of (game, position) pairs, one per row, in the store directory.</summary>
    public const string PositionsFileName = "positions.npy";

    /// <summary>
    /// OthelloGPT's positions (REFERENCE.md §1): every position 0..58 that holds a move (all 59 for a
    /// game of 59 moves or more). Game i of <paramref name="games"/> is recorded as game
    /// <paramref name="firstGameIndex"/> + i. Returns the number of rows written.
    /// </summary>
    public static long CollectOthello(GptModel model, int layer, IReadOnlyList<OthelloGame> games, long firstGameIndex, string storeDirectory,
        int batchSize = 64, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        var width = OthelloTokenizer.ContextLength;
        var tokens = OthelloSequences.Inputs(games);
        var positions = games.Select(g => Enumerable.Range(0, Math.Min(g.Length, width)).ToArray()).ToList();
        return Collect(model, layer, tokens, width, positions, firstGameIndex, storeDirectory, batchSize, progress, cancellationToken);
    }

    /// <summary>
    /// The general case: <paramref name="tokens"/> holds one sequence of <paramref name="width"/> tokens per
    /// game, one after another; <paramref name="positions"/> says, per game, which positions become rows.
    /// </summary>
    /// <exception cref="ArgumentException">The sizes disagree, or a position is outside its sequence.</exception>
    public static long Collect(GptModel model, int layer, long[] tokens, int width, IReadOnlyList<int[]> positions, long firstGameIndex, string storeDirectory,
        int batchSize = 64, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        if (tokens.Length != (long)positions.Count * width)
            throw new ArgumentException($"{tokens.Length} tokens are not {positions.Count} sequences of {width}.", nameof(tokens));
        if (positions.Any(p => p.Any(t => t < 0 || t >= width)))
            throw new ArgumentException($"A position is outside 0..{width - 1}.", nameof(positions));
        var d = model.Config.ModelDimension;
        var rows = positions.Sum(p => (long)p.Length);
        var pairs = new int[rows, 2];
        var writer = new ActivationStoreWriter(storeDirectory, d);
        using var noGrad = no_grad();
        long row = 0;
        var residual = new float[batchSize * width * d];
        for (var start = 0; start < positions.Count; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var count = Math.Min(batchSize, positions.Count - start);
            var input = tensor(tokens.AsSpan(start * width, count * width).ToArray(), [count, width], device: model.Device);
            var acts = model.ResidualStream(input, layer).to_type(ScalarType.Float32).cpu().contiguous();
            acts.data<float>().CopyTo(residual, 0);
            for (var i = 0; i < count; i++)
            {
                foreach (var t in positions[start + i])
                {
                    writer.Append(residual.AsSpan((i * width + t) * d, d));
                    pairs[row, 0] = checked((int)(firstGameIndex + start + i));
                    pairs[row, 1] = t;
                    row++;
                }
            }
            progress?.Report(start + count);
        }
        NpyFile.WriteInt32(Path.Combine(storeDirectory, PositionsFileName), pairs);
        writer.Complete();
        return rows;
    }
}
