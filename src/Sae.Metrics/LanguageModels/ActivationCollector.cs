using Sae.Core.Activations;
using Sae.Core.LanguageModels;
using Sae.Games.Othello;

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

    /// <summary>Games per forward pass unless told otherwise: 64.</summary>
    public const int DefaultBatchSize = 64;

    /// <summary>
    /// OthelloGPT's positions (docs/reference.md §1): every position 0..58 that holds a move (all 59 for a
    /// game of 59 moves or more). Game i of <paramref name="games"/> is recorded as game
    /// <paramref name="firstGameIndex"/> + i. Returns the number of rows written.
    /// </summary>
    public static long CollectOthello(GptModel model, int layer, IReadOnlyList<OthelloGame> games, long firstGameIndex, string storeDirectory,
        int batchSize = DefaultBatchSize, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        return Collect(model, layer, OthelloSequences.Inputs(games), OthelloTokenizer.ContextLength, OthelloSequences.MovePositions(games), firstGameIndex, storeDirectory, batchSize, progress, cancellationToken);
    }

    /// <summary>
    /// The general case: <paramref name="tokens"/> holds one sequence of <paramref name="width"/> tokens per
    /// game, one after another; <paramref name="positions"/> says, per game, which positions become rows.
    /// </summary>
    /// <exception cref="ArgumentException">The sizes disagree, or a position is outside its sequence.</exception>
    public static long Collect(GptModel model, int layer, long[] tokens, int width, IReadOnlyList<int[]> positions, long firstGameIndex, string storeDirectory,
        int batchSize = DefaultBatchSize, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        PositionActivations.Check(tokens, width, positions, batchSize); // before the store directory is touched
        var rows = positions.Sum(p => (long)p.Length);
        var pairs = new int[rows, 2];
        var writer = new ActivationStoreWriter(storeDirectory, model.Config.ModelDimension);
        long row = 0;
        PositionActivations.Gather(input => model.ResidualStream(input, layer), tokens, width, positions, model.Device, (values, sequence, position) =>
        {
            writer.Append(values);
            pairs[row, 0] = checked((int)(firstGameIndex + sequence));
            pairs[row, 1] = position;
            row++;
        }, batchSize, progress, cancellationToken);
        NpyFile.WriteInt32(Path.Combine(storeDirectory, PositionsFileName), pairs);
        writer.Complete();
        return rows;
    }
}
