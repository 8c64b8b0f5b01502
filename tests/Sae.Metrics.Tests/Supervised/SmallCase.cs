using Sae.Games.BoardState;
using Sae.Metrics.Supervised;
using static TorchSharp.torch;

namespace Sae.Metrics.Tests.Supervised;

/// <summary>
/// A train split small enough to count by hand: 4 positions, 3 features (feature 1 never fires), 3
/// elements (element 2 never occurs). Maxima are 1 for features 0 and 2.
/// <code>
///       f0    f1  f2   | labels
///   x0  1.0   0   0.5  | 1 0 0
///   x1  0.5   0   0    | 1 0 0
///   x2  0.1   0   1.0  | 0 1 0
///   x3  0.05  0   0.6  | 0 0 0
/// </code>
/// Levels (thresholds exceeded, strictly: 0.5 at t = 0.5 is a tie and is off): f0 = 10, 5, 1, 1;
/// f2 = 5, 0, 10, 6.
/// </summary>
internal static class SmallCase
{
    public static readonly float[,] Acts =
    {
        { 1.0f, 0, 0.5f },
        { 0.5f, 0, 0 },
        { 0.1f, 0, 1.0f },
        { 0.05f, 0, 0.6f },
    };

    public static readonly byte[,] Labels =
    {
        { 1, 0, 0 },
        { 1, 0, 0 },
        { 0, 1, 0 },
        { 0, 0, 0 },
    };

    public static BspSlice Bsp(int? masked = null) => new("small", 0, new BoardStateShape(1, 1, 3), masked);

    public static SupervisedCounts Count(long valuesPerChunk = 1 << 22, long entriesPerProduct = 1 << 24)
    {
        using var acts = tensor(Acts);
        using var labels = tensor(Labels);
        return SupervisedCounts.Count(acts, labels, FeatureMaxima.Compute(acts), valuesPerChunk, entriesPerProduct);
    }

    public static long[,,] ToArray3(Tensor t)
    {
        var values = t.numel() == 0 ? [] : t.to(int64).data<long>().ToArray();
        var result = new long[t.shape[0], t.shape[1], t.shape[2]];
        Buffer.BlockCopy(values, 0, result, 0, values.Length * sizeof(long));
        return result;
    }

    public static long[,] ToArray2(Tensor t)
    {
        var values = t.numel() == 0 ? [] : t.to(int64).data<long>().ToArray();
        var result = new long[t.shape[0], t.shape[1]];
        Buffer.BlockCopy(values, 0, result, 0, values.Length * sizeof(long));
        return result;
    }
}
