using Sae.Games.Chess;

namespace Sae.Games.Tests.Chess;

public class PgnReaderTests
{
    private const string File = """
        [Event "Casual"]
        [White "A \"quoted\" name"]
        [Black "B"]
        [Result "1-0"]

        1. e4 {best by test} e5 2. Nf3 $1 Nc6 (2... d6 3. d4 (3. Bc4 {a (nested) comment} Be7) exd4) 3. Bb5!? ; the Spanish
        a6 4. Ba4 Nf6 5. O-O Be7 1-0

        [Event "Bad"]
        [Result "*"]

        1. e4 e5 2. Ke3 Nc6 *

        % an escaped line: 1. d4
        [Event "No result at the end, next tags start a game"]
        1. d4 d5 2. c4 2... e6

        [Event "Setup"]
        [SetUp "1"]
        [FEN "4k3/8/8/8/8/8/8/4K2R w K - 0 1"]

        1. O-O Kd7 1/2-1/2

        [Event "Unclosed variation"]
        1. e4 ( 1. d4
        """;

    [Fact]
    public void Reads_tags_skips_comments_nags_and_variations_and_reports_bad_games_by_number()
    {
        var errors = new List<PgnFormatException>();
        var games = new PgnReader(new StringReader(File)).ReadGames(errors.Add).ToList();

        games.Select(g => g.Number).Should().Equal(1, 3, 4);
        games[0].Tags["White"].Should().Be("A \"quoted\" name");
        games[0].Result.Should().Be("1-0");
        games[0].Game.SanMoves().Should().Equal("e4", "e5", "Nf3", "Nc6", "Bb5", "a6", "Ba4", "Nf6", "O-O", "Be7");
        games[1].Game.SanMoves().Should().Equal("d4", "d5", "c4", "e6");
        games[1].Result.Should().Be("*");
        games[2].Game.Start.ToFen().Should().Be("4k3/8/8/8/8/8/8/4K2R w K - 0 1");
        games[2].Game.SanMoves().Should().Equal("O-O", "Kd7");

        errors.Select(e => e.GameNumber).Should().Equal(2, 5);
        errors[0].Message.Should().Contain("game 2").And.Contain("Ke3").And.Contain("ply 3");
        errors[1].Message.Should().Contain("variation '(' not closed");
    }

    [Fact]
    public void Streams_many_games_and_round_trips_generated_ones()
    {
        var expected = Enumerable.Range(0, 50).Select(i => RandomChessGames.Game(5, i)).ToList();
        var text = string.Join("\n\n", expected.Select((g, i) =>
            $"[Event \"{i}\"]\n[Result \"{g.Result}\"]\n\n" + string.Join(" ", g.SanMoves().Select((s, j) => j % 2 == 0 ? $"{j / 2 + 1}. {s}" : s)) + " " + g.Result));
        var games = new PgnReader(new StringReader(text)).ReadGames().ToList();
        games.Should().HaveCount(50);
        for (var i = 0; i < 50; i++)
        {
            games[i].Game.Moves.Should().Equal(expected[i].Moves);
            games[i].Result.Should().Be(expected[i].Result);
        }
    }

    [Fact]
    public void An_empty_input_has_no_games()
    {
        new PgnReader(new StringReader("  \n\n")).ReadGames().Should().BeEmpty();
    }
}
