using static TorchSharp.torch;
using Sae.Core.Native;

namespace Sae.Metrics.Supervised;

/// <summary>
/// Checks of the supervised metrics' inputs, with messages that name the input and what was expected.
/// The metrics call them; an application may call them first with a file name as <c>name</c>.
/// </summary>
public static class SupervisedInputs
{
    /// <summary>Activations must be 2-D float32 with at least one row and no NaN or infinity.</summary>
    /// <exception cref="ArgumentException">They are not; the message starts with <paramref name="name"/>.</exception>
    public static void CheckActivations(Tensor acts, string name)
    {
        if (acts.dim() != 2 || acts.dtype != ScalarType.Float32)
            throw new ArgumentException($"{name}: expected 2-D float32 activations [positions, features], got {acts.dtype} of shape [{string.Join(", ", acts.shape)}].", name);
        if (acts.shape[0] == 0) throw new ArgumentException($"{name}: there are no positions (0 rows).", name);
        using var scope = NewDisposeScope();
        var finite = acts.isfinite();
        if (finite.all().item<bool>()) return;
        var first = finite.logical_not().nonzero()[0];
        var (row, column) = (first[0].item<long>(), first[1].item<long>());
        throw new ArgumentException($"{name}: activation row {row}, column {column} is {acts[row, column].item<float>()}; NaN and infinities are refused.", name);
    }

    /// <summary>Labels must be 2-D uint8 or bool, 0 or 1, with <paramref name="rows"/> rows.</summary>
    /// <exception cref="ArgumentException">They are not; the message starts with <paramref name="name"/>.</exception>
    public static void CheckLabels(Tensor labels, long rows, string name)
    {
        if (labels.dim() != 2 || labels.dtype is not (ScalarType.Byte or ScalarType.Bool))
            throw new ArgumentException($"{name}: expected 2-D uint8 labels [positions, elements], got {labels.dtype} of shape [{string.Join(", ", labels.shape)}].", name);
        if (labels.shape[0] != rows)
            throw new ArgumentException($"{name}: {labels.shape[0]} rows of labels for {rows} rows of activations.", name);
        using var aboveOne = labels.gt(Scalars.One);
        using var bad = aboveOne.any();
        if (bad.item<bool>()) throw new ArgumentException($"{name}: labels must be 0 or 1; found a value above 1.", name);
    }

    /// <summary>Positions per chunk so that a chunk of <paramref name="columns"/> columns holds about <paramref name="budget"/> values.</summary>
    internal static long RowsPerChunk(long columns, long budget = 1 << 22) => Math.Max(1, budget / Math.Max(1, columns));
}
