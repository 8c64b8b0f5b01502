namespace Sae.Metrics.Supervised;

/// <summary>
/// A named set of BSPs whose results are averaged into one number, e.g. the paper's 14 chess
/// "strategy" BSPs.
/// </summary>
/// <param name="Name">The set's name, e.g. <c>chess_strategy</c>.</param>
/// <param name="Members">The names of its BSPs.</param>
public sealed record BspSet(string Name, IReadOnlyList<string> Members)
{
    /// <summary>
    /// The 14 chess strategy BSPs averaged in the paper (docs/reference.md §2): threat, legal moves, check,
    /// can check next, has queen, can capture queen, has bishop pair, has castling rights, kingside,
    /// queenside, any fork, pin, has legal en passant, ambiguous moves. The names must equal the chess
    /// properties' <c>Name</c>s.
    /// </summary>
    public static BspSet ChessStrategy { get; } = new("chess_strategy",
    [
        "threat", "legal_moves", "check", "can_check_next", "has_queen", "can_capture_queen", "has_bishop_pair",
        "has_castling_rights", "has_kingside_castling_rights", "has_queenside_castling_rights", "any_fork", "pin",
        "has_legal_en_passant", "ambiguous_moves",
    ]);

    /// <summary>The mean of <paramref name="valueByBsp"/> over the members (each must be present; other entries are ignored).</summary>
    /// <exception cref="KeyNotFoundException">A member has no value; the message names it.</exception>
    public double Average(IReadOnlyDictionary<string, double> valueByBsp) =>
        Members.Average(name => valueByBsp.TryGetValue(name, out var value)
            ? value
            : throw new KeyNotFoundException($"Set {Name}: there is no result for BSP {name}."));
}
