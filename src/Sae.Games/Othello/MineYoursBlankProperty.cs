using Sae.Games.BoardState;

namespace Sae.Games.Othello;

/// <summary>
/// Mine / yours / blank, 8x8x3: channel 0 = discs of the player to move next ("mine"), 1 = empty,
/// 2 = discs of the player who just moved. The reference (<c>games_batch_to_state_stack_mine_yours_BLRRC</c>)
/// decides "to move" by ply parity, ignoring passes. With the blank channel masked (zeroed but still
/// counted) this is the paper's Othello board-state metric, whose coverage therefore cannot exceed 2/3.
/// </summary>
public sealed class MineYoursBlankProperty : IBoardStateProperty<OthelloPly>
{
    /// <summary>Creates the property.</summary>
    /// <param name="convention">How "to move" is decided; the reference's parity by default.</param>
    /// <param name="blankMasked">Zero the blank channel on every square.</param>
    public MineYoursBlankProperty(OthelloTurnConvention convention = OthelloTurnConvention.ReferenceParity, bool blankMasked = false)
    {
        Convention = convention;
        BlankMasked = blankMasked;
        Name = "mine_yours_blank" + (blankMasked ? "_masked" : "") + (convention == OthelloTurnConvention.SideToMove ? "_side_to_move" : "");
    }

    /// <summary>How "to move" is decided.</summary>
    public OthelloTurnConvention Convention { get; }

    /// <summary>Whether the blank channel is zeroed.</summary>
    public bool BlankMasked { get; }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public BoardStateShape Shape => new(8, 8, 3);

    /// <inheritdoc />
    /// <remarks>
    /// Null even with the blank channel zeroed, as the reference's <c>othello_mine_yours_blank_mask_config</c>
    /// declares no masked class: coverage divides by all 192 elements, which is where the paper's Othello
    /// ceiling of 2/3 comes from. (Dividing by the 128 that can be 1 gives 1.5 times the paper's figure:
    /// <c>sae eval features --masked-class 1</c> does that, on purpose.)
    /// </remarks>
    public int? MaskedChannel => null;

    /// <inheritdoc />
    public void Write(in OthelloPly state, Span<byte> labels)
    {
        var mine = Convention == OthelloTurnConvention.ReferenceParity ? state.ParityMover.Opponent() : state.Position.ToMove;
        var position = state.Position;
        BoardStateLabels.WriteSquares(position.DiscsOf(mine), labels, 3, 0);
        BoardStateLabels.WriteSquares(BlankMasked ? 0 : position.Empty, labels, 3, 1);
        BoardStateLabels.WriteSquares(position.DiscsOf(mine.Opponent()), labels, 3, 2);
    }
}
