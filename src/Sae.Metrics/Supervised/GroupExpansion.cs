using static TorchSharp.torch;
using Sae.Core.Native;
using TorchSharp;

namespace Sae.Metrics.Supervised;

/// <summary>
/// Repeats each of m entries a given number of times, as tensors: the vectorised form of
/// "for each entry, for each of its items". Both the counting (each on-feature entry times each
/// positive element of its position) and the labelled-feature probe (each on-feature entry times each
/// element it labels) are this loop.
/// </summary>
internal static class GroupExpansion
{
    /// <summary>
    /// For <paramref name="counts"/> [m] (int64, ≥ 0): Entry[j] = the entry that item j belongs to, and
    /// Offset[j] = 0 … counts[Entry[j]] − 1, its place within that entry's group. Tensors live in the caller's scope.
    /// </summary>
    public static (Tensor Entry, Tensor Offset) Expand(Tensor counts)
    {
        var total = counts.sum().item<long>();
        using var entries = counts.shape[0].ToScalar();
        using var items = total.ToScalar();
        var entry = arange(Scalars.Zero, entries, Scalars.One, int64, counts.device).repeat_interleave(counts, output_size: total);
        var starts = counts.cumsum(0) - counts;
        var offset = arange(Scalars.Zero, items, Scalars.One, int64, counts.device) - starts.index_select(0, entry);
        return (entry, offset);
    }
}
