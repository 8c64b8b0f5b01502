namespace Sae.Games.Chess;

/// <summary>
/// One position of a game with the part of its history that board state properties need: whether
/// the side to move may claim a draw by threefold repetition (the position has occurred three
/// times, or some legal move makes it occur a third time), which a lone position cannot tell.
/// </summary>
/// <param name="Position">The position.</param>
/// <param name="CanClaimThreefold">Whether a threefold-repetition draw may be claimed here.</param>
public readonly record struct ChessPly(ChessPosition Position, bool CanClaimThreefold = false);
