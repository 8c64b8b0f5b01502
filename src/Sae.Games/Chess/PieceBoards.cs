using System.Runtime.CompilerServices;

namespace Sae.Games.Chess;

/// <summary>Seven bitboards inline in a position, indexed by <see cref="PieceType"/> (index 0 unused).</summary>
[InlineArray(7)]
internal struct PieceBoards
{
    private ulong _first;
}
