namespace Sae.Games.BoardState;

/// <summary>
/// A board state property (BSP): a function from a board state to binary labels of shape
/// R x R x C (docs/reference.md §2). This part of the interface is what the metrics need to know of a
/// property without knowing its game.
/// </summary>
public interface IBoardStateProperty
{
    /// <summary>A stable snake_case name, e.g. <c>mine_yours_blank_masked</c>.</summary>
    string Name { get; }

    /// <summary>The shape of the labels.</summary>
    BoardStateShape Shape { get; }

    /// <summary>
    /// The class that the reference's configuration of this property declares masked (its
    /// <c>one_hot_mask_idx</c>), or null: coverage leaves that class out of its denominator. Only the
    /// chess piece properties with the blank masked declare one (class 6, so 64·12 elements). The paper's
    /// Othello property zeroes its blank channel too but declares none, so all 8·8·3 elements stay in the
    /// denominator and its coverage cannot exceed 2/3.
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
