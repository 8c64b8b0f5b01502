using Sae.Games.BoardState;

namespace Sae.Games.Othello;

/// <summary>Every Othello board state property, by name.</summary>
public static class OthelloProperties
{
    /// <summary>Mine / yours / blank in the reference's parity convention.</summary>
    public static MineYoursBlankProperty MineYoursBlank { get; } = new();

    /// <summary>Mine / yours / blank with blank masked, parity convention: the paper's Othello board-state metric.</summary>
    public static MineYoursBlankProperty MineYoursBlankMasked { get; } = new(blankMasked: true);

    /// <summary>Mine / yours / blank with the player who actually moves next.</summary>
    public static MineYoursBlankProperty MineYoursBlankSideToMove { get; } = new(OthelloTurnConvention.SideToMove);

    /// <summary>Mine / yours / blank, blank masked, with the player who actually moves next.</summary>
    public static MineYoursBlankProperty MineYoursBlankMaskedSideToMove { get; } = new(OthelloTurnConvention.SideToMove, blankMasked: true);

    /// <summary>The board in absolute colours (white / blank / black).</summary>
    public static WhiteBlankBlackProperty WhiteBlankBlack { get; } = new();

    /// <summary>Legal moves of the next player, passes respected (the reference's behaviour).</summary>
    public static ValidMovesProperty ValidMoves { get; } = new();

    /// <summary>Legal moves of the player that ply parity names.</summary>
    public static ValidMovesProperty ValidMovesParity { get; } = new(OthelloTurnConvention.ReferenceParity);

    /// <summary>Discs turned over by the last move.</summary>
    public static FlippedProperty Flipped { get; } = new();

    /// <summary>The square of the last move.</summary>
    public static LastMoveProperty LastMove { get; } = new();

    /// <summary>All of them, in the order above.</summary>
    public static IReadOnlyList<IBoardStateProperty<OthelloPly>> All { get; } =
    [
        MineYoursBlank, MineYoursBlankMasked, MineYoursBlankSideToMove, MineYoursBlankMaskedSideToMove,
        WhiteBlankBlack, ValidMoves, ValidMovesParity, Flipped, LastMove,
    ];

    /// <summary>The property called <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No Othello property has that name; the message lists them.</exception>
    public static IBoardStateProperty<OthelloPly> ByName(string name) =>
        All.FirstOrDefault(p => p.Name == name)
        ?? throw new KeyNotFoundException($"No Othello board state property is called '{name}'. Known: {string.Join(", ", All.Select(p => p.Name))}.");
}
