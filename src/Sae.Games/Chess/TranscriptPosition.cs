namespace Sae.Games.Chess;

/// <summary>A sampled character of a ChessGPT transcript and the board state there.</summary>
/// <param name="CharIndex">The index of the character (a '.') in the transcript.</param>
/// <param name="Ply">The board state at that character.</param>
public readonly record struct TranscriptPosition(int CharIndex, ChessPly Ply);
