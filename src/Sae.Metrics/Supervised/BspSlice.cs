using Sae.Games.BoardState;

namespace Sae.Metrics.Supervised;

/// <summary>
/// Where one board state property's elements sit among the label columns: labels [N, S] may hold the
/// flattened elements of several BSPs side by side, and each metric is computed per BSP.
/// </summary>
/// <param name="Name">The BSP's name, e.g. <c>mine_yours_blank_masked</c>.</param>
/// <param name="Offset">The first label column of this BSP.</param>
/// <param name="Shape">Its shape R x R x C; it occupies <see cref="BoardStateShape.Size"/> columns from <paramref name="Offset"/>.</param>
/// <param name="MaskedChannel">The class the BSP declares masked (as <see cref="IBoardStateProperty.MaskedChannel"/>), or null: coverage then divides by one class fewer.</param>
public sealed record BspSlice(string Name, int Offset, BoardStateShape Shape, int? MaskedChannel = null)
{
    /// <summary>The slice of <paramref name="property"/> starting at column <paramref name="offset"/>.</summary>
    public static BspSlice Of(IBoardStateProperty property, int offset = 0) =>
        new(property.Name, offset, property.Shape, property.MaskedChannel);

    /// <summary>
    /// Checks that the slice fits within <paramref name="elements"/> label columns and that its masked class exists.
    /// </summary>
    /// <exception cref="ArgumentException">It does not; the message names the BSP.</exception>
    public void CheckFits(long elements)
    {
        if (Shape.Rows < 1 || Shape.Columns < 1 || Shape.Channels < 1)
            throw new ArgumentException($"BSP {Name}: shape {Shape} has an empty dimension.");
        if (Offset < 0 || Offset + (long)Shape.Size > elements)
            throw new ArgumentException($"BSP {Name}: columns {Offset}..{Offset + Shape.Size - 1} ({Shape}) do not fit in {elements} label columns.");
        if (MaskedChannel is { } masked && (masked < 0 || masked >= Shape.Channels))
            throw new ArgumentException($"BSP {Name}: masked class {masked} is not one of its {Shape.Channels} classes.");
        if (MaskedChannel is not null && Shape.Channels == 1)
            throw new ArgumentException($"BSP {Name}: a one-class property cannot mask its only class.");
    }

    /// <summary>
    /// |S_g|, the denominator of coverage: every element, less one class per square when the BSP masks a
    /// class by design (docs/reference.md §4).
    /// </summary>
    public int CoverageDenominator => Shape.Rows * Shape.Columns * (Shape.Channels - (MaskedChannel is null ? 0 : 1));
}
