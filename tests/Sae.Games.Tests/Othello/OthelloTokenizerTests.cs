using Sae.Games.Othello;

namespace Sae.Games.Tests.Othello;

public class OthelloTokenizerTests
{
    [Theory]
    [InlineData("a1", 1)]
    [InlineData("c4", 27)] // square 26, the last before the centre d4/e4
    [InlineData("f4", 28)] // square 29, the first after d4 (27) and e4 (28)
    [InlineData("c5", 33)] // square 34, the last before d5/e5
    [InlineData("f5", 34)] // square 37
    [InlineData("h8", 60)]
    public void Squares_map_to_the_reference_tokens(string square, int token)
    {
        OthelloTokenizer.ToToken(Square.Parse(square)).Should().Be(token);
        OthelloTokenizer.ToSquare(token).Should().Be(Square.Parse(square));
    }

    [Fact]
    public void Every_playable_square_round_trips_and_tokens_ascend_with_the_square()
    {
        var playable = Enumerable.Range(0, 64).Where(i => i is not (27 or 28 or 35 or 36)).Select(i => new Square(i)).ToList();
        var tokens = playable.Select(OthelloTokenizer.ToToken).ToList();
        tokens.Should().Equal(Enumerable.Range(1, 60));
        OthelloTokenizer.Decode([.. tokens]).Should().Equal(playable);
    }

    [Fact]
    public void Centre_squares_have_no_token()
    {
        foreach (var centre in new[] { "d4", "e4", "d5", "e5" })
        {
            var act = () => OthelloTokenizer.ToToken(Square.Parse(centre));
            act.Should().Throw<ArgumentException>().WithMessage($"{centre} is a centre square*");
        }
    }

    [Fact]
    public void A_square_set_maps_to_the_set_of_its_tokens_without_the_centre()
    {
        OthelloTokenizer.ToTokenMask(ulong.MaxValue).Should().Be(((1UL << 61) - 1) & ~1UL, "tokens 1..60");
        OthelloTokenizer.ToTokenMask(0).Should().Be(0);
        var squares = new[] { "a1", "c4", "e5", "h8" }.Select(s => Square.Parse(s)).ToArray();
        var bits = squares.Aggregate(0UL, (m, s) => m | 1UL << s.Index);
        var expected = squares.Where(s => !OthelloTokenizer.IsCentre(s)).Aggregate(0UL, (m, s) => m | 1UL << OthelloTokenizer.ToToken(s));
        OthelloTokenizer.ToTokenMask(bits).Should().Be(expected);
    }

    [Fact]
    public void A_game_encodes_to_the_context_with_trailing_padding_and_decodes_back()
    {
        var game = OthelloGame.Parse("f5 d6 c3");
        var tokens = OthelloTokenizer.Encode(game);
        tokens.Should().HaveCount(OthelloTokenizer.ContextLength);
        tokens.Take(3).Should().Equal(34, 40, 19);
        tokens.Skip(3).Should().OnlyContain(t => t == OthelloTokenizer.PadToken);
        OthelloTokenizer.Decode(tokens).Should().Equal(game.Moves);
    }

    [Fact]
    public void A_full_game_is_cut_to_59_tokens()
    {
        var game = RandomOthelloGames.Game(seed: 7, gameIndex: 0);
        game.Length.Should().Be(60);
        var tokens = OthelloTokenizer.Encode(game);
        OthelloTokenizer.Decode(tokens).Should().Equal(game.Moves.Take(59));
    }

    [Theory]
    [InlineData(new[] { 61 }, "Token 61 at position 0 is outside*")]
    [InlineData(new[] { 5, -1 }, "Token -1 at position 1 is outside*")]
    [InlineData(new[] { 5, 0, 7 }, "Token 7 at position 2 follows padding*")]
    public void Bad_tokens_are_rejected_with_their_position(int[] tokens, string message)
    {
        var act = () => OthelloTokenizer.Decode(tokens);
        act.Should().Throw<FormatException>().WithMessage(message);
    }
}
