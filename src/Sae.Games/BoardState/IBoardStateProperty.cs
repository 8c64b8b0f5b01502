namespace Sae.Games.BoardState;

/// <summary>
/// A board state property (BSP): a function from a board state to binary labels of shape
/// R x R x C (REFERENCE.md §2). This part of the interface is what the metrics need to know of a
/// property without knowing its game.
/// </summary>
public interface IBoardStateProperty
{
    /// <summary>A stable snake_case name, e.g. <c>mine_yours_blank_masked</c>.</summary>
    string Name { get; }

    /// <summary>The shape of the labels.</summary>
    BoardStateShape Shape { get; }

    /// <summary>
    /// The channel that the property zeroes on every square by design (e.g. "blank" in the paper's
    /// Othello metric), or null. Coverage still counts its elements, less one class.
    /// </summary>
    int? MaskedChannel { get; }
}

/// <summary>A board state property of states of type <typeparamref name="TState"/>.</summary>
/// <typeparam name="TState">What the property reads: for Othello an <c>OthelloPly</c>.</typeparam>
public interface IBoardStateProperty<TState> : IBoardStateProperty
{
    /// <summary>Writes every label of <paramref name="state"/>, 0 or 1, into <paramref name="labels"/> (<see cref="BoardStateShape.Size"/> bytes).</summary>
    void Write(in TState state, Span<byte> labels);
}
