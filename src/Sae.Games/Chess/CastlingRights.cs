namespace Sae.Games.Chess;

/// <summary>
/// Which castlings remain possible in the game (the FEN castling field): a right is lost for good
/// when its king or rook moves or the rook is captured. Having a right does not mean the castling is
/// legal now; the path must also be empty and not attacked.
/// </summary>
[Flags]
public enum CastlingRights : byte
{
    /// <summary>No castling remains (FEN <c>-</c>).</summary>
    None = 0,

    /// <summary>White may castle kingside, O-O (FEN <c>K</c>).</summary>
    WhiteKingside = 1,

    /// <summary>White may castle queenside, O-O-O (FEN <c>Q</c>).</summary>
    WhiteQueenside = 2,

    /// <summary>Black may castle kingside (FEN <c>k</c>).</summary>
    BlackKingside = 4,

    /// <summary>Black may castle queenside (FEN <c>q</c>).</summary>
    BlackQueenside = 8,

    /// <summary>Every right, as at the start (FEN <c>KQkq</c>).</summary>
    All = 15,
}
