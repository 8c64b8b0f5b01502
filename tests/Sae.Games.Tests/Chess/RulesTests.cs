using Sae.Games.Chess;

namespace Sae.Games.Tests.Chess;

public class RulesTests
{
    [Fact]
    public void Fools_mate_is_checkmate_and_black_wins()
    {
        var game = ChessGame.FromSan(["f3", "e5", "g4", "Qh4#"]);
        game.Current.IsCheckmate.Should().BeTrue();
        game.Current.IsCheck.Should().BeTrue();
        game.Result.Should().Be("0-1");
        game.SanMoves().Should().Equal("f3", "e5", "g4", "Qh4#");
    }

    [Fact]
    public void A_king_with_no_move_and_not_in_check_is_stalemated()
    {
        var position = ChessPosition.FromFen("7k/5Q2/6K1/8/8/8/8/8 b - - 0 1");
        position.IsStalemate.Should().BeTrue();
        position.IsCheckmate.Should().BeFalse();
        var game = new ChessGame(position);
        game.Result.Should().Be("1/2-1/2");
    }

    [Theory]
    [InlineData("8/8/4k3/8/8/3K4/8/8 w - - 0 1", true)]
    [InlineData("8/8/4k3/8/8/3K1N2/8/8 w - - 0 1", true)]
    [InlineData("8/8/4k3/8/8/3K1B2/8/8 w - - 0 1", true)]
    [InlineData("8/8/2b1k3/8/8/3K1B2/8/8 w - - 0 1", true)] // both bishops on light squares
    [InlineData("8/8/3bk3/8/8/3K1B2/8/8 w - - 0 1", false)] // opposite colours: a mate exists
    [InlineData("8/8/4k3/8/8/3KNN2/8/8 w - - 0 1", false)]
    [InlineData("8/8/4k3/8/8/3K4/7P/8 w - - 0 1", false)]
    public void Insufficient_material(string fen, bool insufficient) =>
        ChessPosition.FromFen(fen).IsInsufficientMaterial.Should().Be(insufficient);

    [Fact]
    public void Castling_needs_the_right_an_empty_path_and_unattacked_king_squares()
    {
        Sans("r3k2r/8/8/8/8/8/8/R3K2R w KQkq - 0 1").Should().Contain(["O-O", "O-O-O"]);
        Sans("r3k2r/8/8/8/8/8/8/R3K2R w Qkq - 0 1").Should().NotContain("O-O").And.Contain("O-O-O");
        // A black rook on f8 attacks f1, which the king crosses; b1 may be attacked (rook on b8).
        Sans("1r2kr2/8/8/8/8/8/8/R3K2R w KQ - 0 1").Should().NotContain("O-O").And.Contain("O-O-O");
        // In check, no castling.
        Sans("4k3/8/8/4r3/8/8/8/R3K2R w KQ - 0 1").Should().NotContain(["O-O", "O-O-O"]);
        // A piece between king and rook.
        Sans("r3k2r/8/8/8/8/8/8/RN2K2R w KQkq - 0 1").Should().NotContain("O-O-O");
    }

    [Fact]
    public void Castling_rights_are_lost_when_the_king_or_rook_moves_or_the_rook_is_captured()
    {
        var position = ChessPosition.FromFen("r3k2r/8/8/8/8/8/6b1/R3K2R b KQkq - 0 1");
        var afterCapture = position.Play(San.Parse(position, "Bxh1"));
        afterCapture.Castling.Should().Be(CastlingRights.WhiteQueenside | CastlingRights.BlackKingside | CastlingRights.BlackQueenside);
        var afterKing = afterCapture.Play(San.Parse(afterCapture, "Kd2"));
        afterKing.Castling.Should().Be(CastlingRights.BlackKingside | CastlingRights.BlackQueenside);
        var afterRook = afterKing.Play(San.Parse(afterKing, "Rh7"));
        afterRook.Castling.Should().Be(CastlingRights.BlackQueenside);
    }

    [Fact]
    public void Playing_castling_and_promotion_and_en_passant_moves_the_right_pieces()
    {
        var castled = ChessPosition.FromFen("r3k2r/8/8/8/8/8/8/R3K2R w KQkq - 0 1");
        castled = castled.Play(San.Parse(castled, "O-O-O"));
        castled.ToFen().Should().Be("r3k2r/8/8/8/8/8/8/2KR3R b kq - 1 1");
        var promotion = ChessPosition.FromFen("3r3k/4P3/8/8/8/8/8/K7 w - - 0 1");
        promotion.Play(San.Parse(promotion, "exd8=N")).ToFen().Should().Be("3N3k/8/8/8/8/8/8/K7 b - - 0 1");
        var enPassant = ChessPosition.FromFen("7k/8/8/3pP3/8/8/8/K7 w - d6 0 2");
        enPassant.Play(San.Parse(enPassant, "exd6")).ToFen().Should().Be("7k/8/3P4/8/8/8/8/K7 b - - 0 2");
    }

    [Fact]
    public void Clocks_count_halfmoves_since_a_capture_or_pawn_move_and_full_moves_after_black()
    {
        var game = ChessGame.FromSan(["Nf3", "Nf6", "Ng1", "Ng8", "e4"]);
        game.Positions.Select(p => (p.HalfmoveClock, p.FullmoveNumber)).Should().Equal((0, 1), (1, 1), (2, 2), (3, 2), (4, 3), (0, 3));
    }

    [Fact]
    public void Repetition_is_counted_by_key_and_the_third_occurrence_ends_the_game()
    {
        var game = ChessGame.FromSan(["Nf3", "Nf6", "Ng1", "Ng8", "Nf3", "Nf6", "Ng1"]);
        game.RepetitionCount.Should().Be(2);
        game.Result.Should().Be("*");
        var plies = game.Plies();
        plies[^1].CanClaimThreefold.Should().BeTrue("Ng8 would repeat the start a third time");
        plies[^2].CanClaimThreefold.Should().BeFalse();
        game.PlaySan("Ng8");
        game.RepetitionCount.Should().Be(3);
        game.Result.Should().Be("1/2-1/2");
        game.Plies()[^1].CanClaimThreefold.Should().BeTrue();
    }

    [Fact]
    public void Playing_an_illegal_move_throws_with_the_ply()
    {
        var game = ChessGame.FromSan(["e4"]);
        var act = () => game.PlaySan("e5e");
        act.Should().Throw<IllegalMoveException>().Where(e => e.Ply == 2 && e.Move == "e5e")
            .WithMessage("ply 2: illegal move e5e: not SAN: no destination square");
        var pinned = new ChessGame(ChessPosition.FromFen("4k3/4r3/8/8/8/8/4B3/4K3 w - - 0 1"));
        var bishop = () => pinned.PlaySan("Bd3");
        bishop.Should().Throw<IllegalMoveException>().WithMessage("*no legal move matches*");
    }

    [Fact]
    public void Random_and_engine_games_are_legal_reproducible_and_end_by_the_rules()
    {
        for (var i = 0; i < 30; i++)
        {
            var game = RandomChessGames.Game(11, i);
            RandomChessGames.Game(11, i).Moves.Should().Equal(game.Moves);
            (game.Result != "*" || game.Moves.Count == 400).Should().BeTrue();
            ChessGame.FromSan(game.SanMoves()).Moves.Should().Equal(game.Moves, "SAN round trip");
        }
        RandomChessGames.Game(11, 0).Moves.Should().NotEqual(RandomChessGames.Game(12, 0).Moves);
        var engine = new ChessEngine();
        var played = engine.Game(3, 0, maxPlies: 60);
        played.Moves.Should().Equal(engine.Game(3, 0, maxPlies: 60).Moves);
        played.Moves.Should().NotEqual(engine.Game(3, 1, maxPlies: 60).Moves);
        played.Moves.Count.Should().BeGreaterThan(10);
    }

    [Fact]
    public void Engine_games_with_a_random_opening_and_random_moves_vary_and_stay_reproducible()
    {
        var plain = new ChessEngine(1);
        var varied = new ChessEngine(1) { RandomOpeningPlies = 6, RandomMoveProbability = 0.1 };
        var openings = new HashSet<string>();
        for (var i = 0; i < 40; i++)
        {
            var game = varied.Game(5, i, maxPlies: 40);
            game.Moves.Should().Equal(varied.Game(5, i, maxPlies: 40).Moves, "the same (seed, index) gives the same game");
            ChessGame.FromSan(game.SanMoves()).Moves.Should().Equal(game.Moves, "every move is legal");
            openings.Add(string.Join(' ', game.SanMoves().Take(6)));
        }
        // Six random plies from the start give thousands of sequences: forty games should hardly ever share one.
        openings.Count.Should().BeGreaterThan(35);
        // Without either setting the engine plays as before: the opening is the engine's own, shared by most games.
        Enumerable.Range(0, 40).Select(i => string.Join(' ', plain.Game(5, i, maxPlies: 6).SanMoves())).Distinct().Count().Should().BeLessThan(20);
        // Every ply random: the game is a random game (no engine choice left), still reproducible.
        var random = new ChessEngine(1) { RandomMoveProbability = 1.0 };
        random.Game(9, 3, 50).Moves.Should().Equal(random.Game(9, 3, 50).Moves);
        var negative = () => new ChessEngine { RandomOpeningPlies = -1 };
        negative.Should().Throw<ArgumentOutOfRangeException>();
        var notProbability = () => new ChessEngine { RandomMoveProbability = 1.5 };
        notProbability.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void The_engine_takes_a_hanging_queen_and_mates_in_one()
    {
        var engine = new ChessEngine();
        var hanging = ChessPosition.FromFen("4k3/8/8/3q4/8/8/8/3RK3 w - - 0 1");
        engine.BestMove(hanging, 1).Uci.Should().Be("d1d5");
        var mate = ChessPosition.FromFen("6k1/5ppp/8/8/8/8/8/R5K1 w - - 0 1");
        engine.BestMove(mate, 1).Uci.Should().Be("a1a8");
    }

    [Fact]
    public void Misuse_fails_with_a_specific_exception_instead_of_reading_out_of_range()
    {
        var empty = () => default(ChessPosition).LegalMoves();
        empty.Should().Throw<InvalidOperationException>().WithMessage("*no king*");
        var foreign = ChessPosition.FromFen("4k3/8/8/8/8/8/8/4K2R w K - 0 1").LegalMoves().First(m => m.IsCastling);
        var write = () => San.Write(ChessPosition.Initial, foreign);
        write.Should().Throw<IllegalMoveException>().WithMessage("*e1g1*not a legal move*");
        var play = () => ChessPosition.Initial.Play(foreign);
        play.Should().Throw<IllegalMoveException>();
    }

    [Fact]
    public void Perft_can_be_cancelled()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var count = () => Perft.Count(ChessPosition.Initial, 7, cancelled.Token);
        count.Should().Throw<OperationCanceledException>();
    }

    [Fact]
    public void Attacks_are_asked_by_square()
    {
        var start = ChessPosition.Initial;
        start.IsAttacked(Square.Parse("f3"), ChessColor.White).Should().BeTrue();
        start.IsAttacked(Square.Parse("e4"), ChessColor.White).Should().BeFalse();
        start.KingSquare(ChessColor.Black).Should().Be(Square.Parse("e8"));
        start.AttackersTo(Square.Parse("f3"), start.Occupied).Should().Be(1UL << 6 | 1UL << 12 | 1UL << 14);
    }

    private static string[] Sans(string fen)
    {
        var position = ChessPosition.FromFen(fen);
        return [.. position.LegalMoves().Select(m => San.Write(position, m))];
    }
}
