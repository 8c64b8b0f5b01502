using CsCheck;
using Sae.Games.Othello;

namespace Sae.Games.Tests.Othello;

public class OthelloRulesTests
{
    private static ulong Bits(params string[] squares) => squares.Aggregate(0UL, (b, s) => b | 1UL << Square.Parse(s).Index);

    private static string[] Names(ulong bits) => [.. OthelloPosition.SquaresOf(bits)];

    [Fact]
    public void The_start_has_black_on_d5_and_e4_white_on_d4_and_e5_and_black_to_move()
    {
        var start = OthelloPosition.Initial;
        Names(start.Black).Should().BeEquivalentTo("e4", "d5");
        Names(start.White).Should().BeEquivalentTo("d4", "e5");
        start.Black.Should().Be(1UL << 28 | 1UL << 35);
        start.ToMove.Should().Be(OthelloColor.Black);
        Names(start.LegalMoves).Should().BeEquivalentTo("d3", "c4", "f5", "e6");
    }

    [Fact]
    public void F5_flips_e5_and_white_may_answer_d6_f4_or_f6()
    {
        var next = OthelloPosition.Initial.Play(Square.Parse("f5"));
        Names(next.Black).Should().BeEquivalentTo("e4", "d5", "e5", "f5");
        Names(next.White).Should().BeEquivalentTo("d4");
        next.ToMove.Should().Be(OthelloColor.White);
        Names(next.LegalMoves).Should().BeEquivalentTo("d6", "f4", "f6");
    }

    [Fact]
    public void A_move_flips_along_every_direction_that_ends_on_an_own_disc()
    {
        // Black on a1, h1, a8, d8 and d5's neighbours' far ends; white between them and d4.
        var position = OthelloPosition.Create(
            black: Bits("b2", "d2", "f2", "b4", "f4", "d6", "h4"),
            white: Bits("c3", "d3", "e3", "c4", "e4", "d5", "g4"),
            OthelloColor.Black);
        position.TryPlay(Square.Parse("d4").Index, out var next, out var flipped).Should().BeTrue();
        // c3 (to b2), d3 (to d2), e3 (to f2), c4 (to b4), e4 (to f4), d5 (to d6); not g4 (e4..g4 is not a run from d4).
        Names(flipped).Should().BeEquivalentTo("c3", "d3", "e3", "c4", "e4", "d5");
        Names(next.White).Should().BeEquivalentTo("g4");
    }

    [Fact]
    public void Runs_do_not_wrap_from_the_h_file_to_the_a_file()
    {
        // h1 (index 7) and a2 (index 8) are neighbours by index but not on the board.
        var position = OthelloPosition.Create(black: Bits("h1"), white: Bits("a2"), OthelloColor.Black);
        position.IsGameOver.Should().BeTrue();
        OthelloPosition.Create(black: Bits("a3"), white: Bits("h2"), OthelloColor.Black).IsGameOver.Should().BeTrue();
    }

    [Fact]
    public void A_player_without_a_move_passes_and_the_other_moves_again()
    {
        // White to move: b1 cannot capture a1 on the edge, so white passes; black can play c1.
        var position = OthelloPosition.Create(black: Bits("a1"), white: Bits("b1"), OthelloColor.White);
        position.ToMove.Should().Be(OthelloColor.Black);
        position.IsGameOver.Should().BeFalse();
        Names(position.LegalMoves).Should().Equal("c1");
    }

    [Fact]
    public void A_wipe_out_ends_the_game_with_empty_squares_left()
    {
        var position = OthelloPosition.Create(black: Bits("a1"), white: Bits("b1"), OthelloColor.Black);
        var end = position.Play(Square.Parse("c1"));
        end.IsGameOver.Should().BeTrue();
        end.White.Should().Be(0);
        end.Count(OthelloColor.Black).Should().Be(3);
        end.Leader.Should().Be(OthelloColor.Black);
        end.LegalMoves.Should().Be(0);
    }

    [Fact]
    public void Filling_the_last_square_ends_the_game_and_the_score_is_counted()
    {
        // Ranks 1-4 black, ranks 5-8 white but for an empty h8. Black's h8 flips h7-h5 (down to
        // h4) and g7-e5 (down to d4): 32 + 1 + 6 = 39 black, 31 - 6 = 25 white.
        var board = new string('x', 32) + new string('o', 31) + ".";
        var position = OthelloPosition.Parse(board, OthelloColor.White);
        position.ToMove.Should().Be(OthelloColor.Black, "white has no move and passes");
        Names(position.LegalMoves).Should().Equal("h8");

        var end = position.Play(Square.Parse("h8"));
        end.IsGameOver.Should().BeTrue();
        end.Empty.Should().Be(0);
        end.Count(OthelloColor.Black).Should().Be(39);
        end.Count(OthelloColor.White).Should().Be(25);
        Names(end.Black & ~position.Black).Should().BeEquivalentTo("h8", "h7", "h6", "h5", "g7", "f6", "e5");
    }

    [Fact]
    public void A_position_where_neither_can_move_is_over()
    {
        var position = OthelloPosition.Create(black: Bits("a1"), white: Bits("h8"), OthelloColor.Black);
        position.IsGameOver.Should().BeTrue();
        position.Leader.Should().BeNull();
    }

    [Fact]
    public void Illegal_moves_are_refused_with_the_ply_and_the_reason()
    {
        var occupied = () => OthelloGame.Parse("f5 d6 f5");
        occupied.Should().Throw<IllegalMoveException>().Where(e => e.Ply == 3 && e.Move == "f5")
            .WithMessage("ply 3: illegal move f5: f5 is occupied (black to move)");

        var flipsNothing = () => OthelloGame.Parse("a1");
        flipsNothing.Should().Throw<IllegalMoveException>().WithMessage("ply 1: illegal move a1: it flips no disc (black to move)");

        var afterTheEnd = () => OthelloPosition.Create(Bits("a1"), Bits("h8"), OthelloColor.Black).Play(Square.Parse("b1"));
        afterTheEnd.Should().Throw<IllegalMoveException>().WithMessage("*game is over*");
    }

    [Fact]
    public void Malformed_boards_and_square_names_are_rejected_by_name()
    {
        var shortBoard = () => OthelloPosition.Parse("x.o", OthelloColor.Black);
        shortBoard.Should().Throw<FormatException>().WithMessage("*64 squares*3*");
        var badChar = () => OthelloPosition.Parse(new string('.', 10) + "z" + new string('.', 53), OthelloColor.Black);
        badChar.Should().Throw<FormatException>().WithMessage("Square c2: 'z'*");
        var overlap = () => OthelloPosition.Create(Bits("a1"), Bits("a1"), OthelloColor.Black);
        overlap.Should().Throw<ArgumentException>().WithMessage("*a1*");
        var badSquare = () => Square.Parse("i9");
        badSquare.Should().Throw<FormatException>().WithMessage("'i9'*");
    }

    [Fact]
    public void Square_names_and_indices_round_trip()
    {
        for (var i = 0; i < 64; i++)
            Square.Parse(new Square(i).Name).Index.Should().Be(i);
        Square.Parse("a1").Index.Should().Be(0);
        Square.Parse("h1").Index.Should().Be(7);
        Square.Parse("E4").Index.Should().Be(28);
        Square.Parse("h8").Index.Should().Be(63);
    }

    [Fact]
    public void Bitboard_moves_and_flips_equal_the_naive_engine_on_random_boards()
    {
        Gen.Select(Gen.ULong, Gen.ULong, Gen.Int[0, 63]).Sample((a, b, square) =>
        {
            var own = a & ~b;
            var opponent = b;
            OthelloBitboards.LegalMoves(own, opponent).Should().Be(NaiveOthello.LegalMoves(own, opponent));
            var empty = ((own | opponent) >> square & 1) == 0;
            if (empty) OthelloBitboards.Flips(own, opponent, square).Should().Be(NaiveOthello.Flips(own, opponent, square));
        }, iter: 3000);
    }

    [Fact]
    public void Every_position_of_random_games_agrees_with_the_naive_engine()
    {
        Gen.Select(Gen.ULong, Gen.Long[0, 1_000_000]).Sample((seed, index) =>
        {
            var game = RandomOthelloGames.Game(seed, index);
            var before = OthelloPosition.Initial;
            foreach (var ply in game.Plies)
            {
                var own = before.DiscsOf(ply.Mover);
                var opponent = before.DiscsOf(ply.Mover.Opponent());
                before.LegalMoves.Should().Be(NaiveOthello.LegalMoves(own, opponent));
                ply.Flipped.Should().Be(NaiveOthello.Flips(own, opponent, ply.Move.Index));
                var next = NaiveOthello.NextToMove(ply.Position.Black, ply.Position.White, ply.Mover);
                ply.Position.IsGameOver.Should().Be(next is null);
                if (next is { } player) ply.Position.ToMove.Should().Be(player);
                before = ply.Position;
            }
            game.FinalPosition.IsGameOver.Should().BeTrue("a random game is played to its end");
        }, iter: 200);
    }
}
