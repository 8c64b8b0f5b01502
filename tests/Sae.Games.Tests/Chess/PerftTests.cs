using Sae.Games.Chess;

namespace Sae.Games.Tests.Chess;

/// <summary>The published perft counts (chessprogramming.org, "Perft Results").</summary>
public class PerftTests
{
    public const string Kiwipete = "r3k2r/p1ppqpb1/bn2pnp1/3PN3/1p2P3/2N2Q1p/PPPBBPPP/R3K2R w KQkq - 0 1";
    public const string Position3 = "8/2p5/3p4/KP5r/1R3p1k/8/4P1P1/8 w - - 0 1";
    public const string Position4 = "r3k2r/Pppp1ppp/1b3nbN/nP6/BBP1P3/q4N2/Pp1P2PP/R2Q1RK1 w kq - 0 1";
    public const string Position4Mirrored = "r2q1rk1/pP1p2pp/Q4n2/bbp1p3/Np6/1B3NBn/pPPP1PPP/R3K2R b KQ - 0 1";
    public const string Position5 = "rnbq1k1r/pp1Pbppp/2p5/8/2B5/8/PPP1NnPP/RNBQK2R w KQ - 1 8";
    public const string Position6 = "r4rk1/1pp1qppp/p1np1n2/2b1p1B1/2B1P1b1/P1NP1N2/1PP1QPPP/R4RK1 w - - 0 10";

    [Theory]
    [InlineData(ChessFen.InitialFen, 1, 20)]
    [InlineData(ChessFen.InitialFen, 2, 400)]
    [InlineData(ChessFen.InitialFen, 3, 8_902)]
    [InlineData(ChessFen.InitialFen, 4, 197_281)]
    [InlineData(ChessFen.InitialFen, 5, 4_865_609)]
    [InlineData(Kiwipete, 1, 48)]
    [InlineData(Kiwipete, 2, 2_039)]
    [InlineData(Kiwipete, 3, 97_862)]
    [InlineData(Kiwipete, 4, 4_085_603)]
    [InlineData(Position3, 1, 14)]
    [InlineData(Position3, 3, 2_812)]
    [InlineData(Position3, 5, 674_624)]
    [InlineData(Position3, 6, 11_030_083)]
    [InlineData(Position4, 1, 6)]
    [InlineData(Position4, 3, 9_467)]
    [InlineData(Position4, 4, 422_333)]
    [InlineData(Position4Mirrored, 4, 422_333)]
    [InlineData(Position5, 1, 44)]
    [InlineData(Position5, 3, 62_379)]
    [InlineData(Position5, 4, 2_103_487)]
    [InlineData(Position6, 1, 46)]
    [InlineData(Position6, 3, 89_890)]
    [InlineData(Position6, 4, 3_894_594)]
    public void Perft_matches_the_published_count(string fen, int depth, long nodes) =>
        Perft.Count(ChessPosition.FromFen(fen), depth).Should().Be(nodes);

    [Fact]
    public void Depth_zero_is_one_node_and_a_negative_depth_is_rejected()
    {
        Perft.Count(ChessPosition.Initial, 0).Should().Be(1);
        var negative = () => Perft.Count(ChessPosition.Initial, -1);
        negative.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Theory]
    // exd6 e.p. would take both pawns off the fifth rank and expose the king on a5 to the rook on h5.
    [InlineData("8/8/8/K2pP2r/8/8/8/7k w - d6 0 1", 0)]
    // Without the rank pin the capture is legal.
    [InlineData("8/8/8/K2pP3/8/8/8/7k w - d6 0 1", 1)]
    public void En_passant_through_a_rank_pin_is_illegal(string fen, int enPassantMoves)
    {
        var position = ChessPosition.FromFen(fen);
        position.LegalMoves().Count(m => m.IsEnPassant).Should().Be(enPassantMoves);
        position.EnPassantSquare.HasValue.Should().Be(enPassantMoves == 1, "the square is kept only when the capture is legal");
    }
}
