using Sae.Games.BoardState;

namespace Sae.Games.Othello;

/// <summary>
/// The board in absolute colours, 8x8x3: channel 0 = white, 1 = empty, 2 = black — the channel
/// order of the reference's <c>games_batch_to_state_stack_BLRRC</c> (white −1, empty 0, black +1).
/// </summary>
public sealed class WhiteBlankBlackProperty : IBoardStateProperty<OthelloPly>
{
    /// <inheritdoc />
    public string Name => "white_blank_black";

    /// <inheritdoc />
    public BoardStateShape Shape => new(8, 8, 3);

    /// <inheritdoc />
    public int? MaskedChannel => null;

    /// <inheritdoc />
    public void Write(in OthelloPly state, Span<byte> labels)
    {
        var position = state.Position;
        BoardStateLabels.WriteSquares(position.White, labels, 3, 0);
        BoardStateLabels.WriteSquares(position.Empty, labels, 3, 1);
        BoardStateLabels.WriteSquares(position.Black, labels, 3, 2);
    }
}
