namespace Sae.Games.Chess;

/// <summary>A game read from PGN: its tags, its moves replayed, and the result written after them.</summary>
/// <param name="Number">The game's 1-based number in its file (bad games count too).</param>
/// <param name="Tags">The tag pairs, e.g. <c>White</c>, <c>Result</c>, <c>FEN</c>.</param>
/// <param name="Game">The main line, replayed from the start (or from the <c>FEN</c> tag).</param>
/// <param name="Result">The game termination marker: <c>1-0</c>, <c>0-1</c>, <c>1/2-1/2</c> or <c>*</c>.</param>
public sealed record PgnGame(int Number, IReadOnlyDictionary<string, string> Tags, ChessGame Game, string Result);
