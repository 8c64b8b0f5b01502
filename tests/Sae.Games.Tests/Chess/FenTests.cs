using Sae.Games.Chess;

namespace Sae.Games.Tests.Chess;

public class FenTests
{
    [Theory]
    [InlineData(ChessFen.InitialFen)]
    [InlineData(PerftTests.Kiwipete)]
    [InlineData(PerftTests.Position4Mirrored)]
    [InlineData(PerftTests.Position5)]
    [InlineData("8/8/8/K2pP3/8/8/8/7k w - d6 0 57")]
    public void Fen_round_trips(string fen) => ChessPosition.FromFen(fen).ToFen().Should().Be(fen);

    [Fact]
    public void The_start_position_has_the_pieces_rights_and_clocks_of_the_start()
    {
        var start = ChessPosition.Initial;
        start.ToMove.Should().Be(ChessColor.White);
        start.Castling.Should().Be(CastlingRights.All);
        start.EnPassantSquare.Should().BeNull();
        start[Square.Parse("e1")].Should().Be(new ChessPiece(ChessColor.White, PieceType.King));
        start[Square.Parse("d8")].Should().Be(new ChessPiece(ChessColor.Black, PieceType.Queen));
        start[Square.Parse("e4")].Should().BeNull();
        (start.HalfmoveClock, start.FullmoveNumber).Should().Be((0, 1));
    }

    [Fact]
    public void Four_fields_are_enough_and_an_en_passant_square_without_a_legal_capture_is_dropped()
    {
        var position = ChessPosition.FromFen("rnbqkbnr/pppppppp/8/8/4P3/8/PPPP1PPP/RNBQKBNR b KQkq e3");
        position.ToFen().Should().Be("rnbqkbnr/pppppppp/8/8/4P3/8/PPPP1PPP/RNBQKBNR b KQkq - 0 1");
        position.Should().Be(ChessPosition.Initial.Play(San.Parse(ChessPosition.Initial, "e4")));
    }

    [Theory]
    [InlineData("rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP w KQkq - 0 1", "placement", "expected 8 ranks")]
    [InlineData("rnbqkbnr/pppppppp/9/8/8/8/PPPPPPPP/RNBQKBNR w KQkq - 0 1", "placement", "rank 6")]
    [InlineData("rnbqkbnr/ppppXppp/8/8/8/8/PPPPPPPP/RNBQKBNR w KQkq - 0 1", "placement", "'X'")]
    [InlineData("rnbq1bnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR w KQ - 0 1", "placement", "Black has 0 kings")]
    [InlineData("rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNP w - - 0 1", "placement", "pawn stands on h1")]
    [InlineData("rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR x KQkq - 0 1", "side to move", "'x'")]
    [InlineData("rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBN1 w KQkq - 0 1", "castling", "rook on h1")]
    [InlineData("rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR w KQkqZ - 0 1", "castling", "'Z'")]
    [InlineData("rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR w KQkq e9 0 1", "en passant", "'e9'")]
    [InlineData("rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR w KQkq e3 0 1", "en passant", "not on rank 6")]
    [InlineData("rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR w KQkq e6 0 1", "en passant", "no Black pawn")]
    [InlineData("rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR w KQkq - -3 1", "halfmove clock", "'-3'")]
    [InlineData("rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR w KQkq - 0 0", "fullmove number", "'0'")]
    [InlineData("rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR w KQkq - 0", "fields", "found 5")]
    [InlineData("4k3/8/8/8/8/8/8/r3K3 b - - 0 1", "side to move", "White) is in check")]
    public void A_malformed_fen_names_the_field(string fen, string field, string detail)
    {
        var parse = () => ChessPosition.FromFen(fen);
        parse.Should().Throw<FenFormatException>()
            .Where(e => e.Field == field && e.Message.Contains(detail) && e.Message.Contains(fen));
    }

    [Fact]
    public void Keys_are_updated_incrementally_as_a_fresh_parse_would_compute_them()
    {
        for (var i = 0; i < 20; i++)
            foreach (var position in RandomChessGames.Game(7, i).Positions)
                position.Key.Should().Be(ChessPosition.FromFen(position.ToFen()).Key, position.ToFen());
    }
}
