using Sae.Games.Chess;

namespace Sae.Games.Tests.Chess;

public class SanTests
{
    [Theory]
    // Knights on b8 and f6 both reach d7: the file tells them apart.
    [InlineData("rnbqkb1r/ppp1pppp/5n2/8/8/8/PPPPPPPP/RNBQKBNR b KQkq - 0 1", "b8d7", "Nbd7")]
    // Rooks on e1 and e3 both reach e2: same file, so the rank.
    [InlineData("7k/8/8/8/8/4R3/8/K3R3 w - - 0 1", "e1e2", "R1e2")]
    // Queens on h4, h1 and e4 all reach e1; h1 shares h4's file and e4 its rank, so both are named.
    [InlineData("8/8/k7/8/4Q2Q/8/8/K6Q w - - 0 1", "h4e1", "Qh4e1")]
    [InlineData("3r3k/4P3/8/8/8/8/8/K7 w - - 0 1", "e7d8q", "exd8=Q+")]
    [InlineData("3r3k/4P3/8/8/8/8/8/K7 w - - 0 1", "e7e8n", "e8=N")]
    [InlineData("r3k3/8/8/8/8/8/5PPP/6K1 b q - 0 1", "e8c8", "O-O-O")]
    [InlineData("6k1/5ppp/8/8/8/8/8/R5K1 w - - 0 1", "a1a8", "Ra8#")]
    [InlineData("7k/8/8/3pP3/8/8/8/K7 w - d6 0 2", "e5d6", "exd6")]
    [InlineData("7k/8/8/3pP3/8/8/8/K7 w - d6 0 2", "a1b2", "Kb2")]
    public void Writes_and_reads_san(string fen, string uci, string san)
    {
        var position = ChessPosition.FromFen(fen);
        var move = position.LegalMoves().Single(m => m.Uci == uci);
        San.Write(position, move).Should().Be(san);
        San.Parse(position, san).Should().Be(move);
    }

    [Theory]
    [InlineData("3k4/8/8/8/8/8/8/R3K3 w Q - 0 1", "O-O-O+")]
    // Rooks on c8 and e8 and pawns on c7 and e7 box the king in; nothing can block the d-file.
    [InlineData("2rkr3/2p1p3/8/8/8/8/8/R3K3 w Q - 0 1", "O-O-O#")]
    public void Castling_that_checks_or_mates_carries_the_suffix(string fen, string san)
    {
        var position = ChessPosition.FromFen(fen);
        San.Write(position, position.LegalMoves().Single(m => m.IsCastling)).Should().Be(san);
    }

    [Theory]
    [InlineData("e4!?", "e2e4")]
    [InlineData("Nf3+", "g1f3")]
    [InlineData("0-0", null)]
    [InlineData("Ng1f3", "g1f3")]
    public void Reading_accepts_annotations_wrong_suffixes_and_superfluous_disambiguation(string san, string? uci)
    {
        if (uci is null)
        {
            var castling = ChessPosition.FromFen("4k3/8/8/8/8/8/8/4K2R w K - 0 1");
            San.Parse(castling, san).IsCastling.Should().BeTrue();
            return;
        }
        San.Parse(ChessPosition.Initial, san).Uci.Should().Be(uci);
    }

    [Theory]
    [InlineData("4k3/8/8/8/8/8/8/1N2KN2 w - - 0 1", "Nd2", "ambiguous")]
    [InlineData(ChessFen.InitialFen, "e5", "no legal move")]
    [InlineData(ChessFen.InitialFen, "Zz9", "no destination")]
    [InlineData(ChessFen.InitialFen, "O-O", "not legal")]
    [InlineData(ChessFen.InitialFen, "e8=K", "cannot promote to a king")]
    public void Reading_rejects_what_matches_no_single_legal_move(string fen, string san, string problem)
    {
        var act = () => San.Parse(ChessPosition.FromFen(fen), san);
        act.Should().Throw<IllegalMoveException>().WithMessage($"*{problem}*");
    }

    [Fact]
    public void Every_move_of_many_random_games_round_trips_through_san()
    {
        Span<ChessMove> legal = stackalloc ChessMove[256];
        var moves = 0;
        for (var g = 0; g < 40; g++)
        {
            var game = RandomChessGames.Game(2024, g);
            foreach (var position in game.Positions)
            {
                var n = position.LegalMoves(legal);
                var sans = new HashSet<string>();
                for (var i = 0; i < n; i++)
                {
                    var san = San.Write(position, legal[i], legal[..n]);
                    sans.Add(san).Should().BeTrue($"{san} must name one move in {position.ToFen()}");
                    San.Parse(position, san, legal[..n]).Should().Be(legal[i]);
                    moves++;
                }
            }
            ChessGame.FromSan(game.SanMoves()).Positions.Should().Equal(game.Positions);
        }
        moves.Should().BeGreaterThan(20_000);
    }
}
