using Sae.Games.Chess;

namespace Sae.Games.Tests.Chess;

public class ChessGptTranscriptTests
{
    [Fact]
    public void Formats_movetext_without_spaces_after_move_numbers()
    {
        var game = ChessGame.FromSan(["e4", "e5", "Nf3", "Nc6", "Bb5"]);
        ChessGptTranscript.Format(game).Should().Be(";1.e4 e5 2.Nf3 Nc6 3.Bb5");
        ChessGptTranscript.Format(new ChessGame()).Should().Be(";");
    }

    [Fact]
    public void The_vocabulary_has_32_characters_with_space_first()
    {
        ChessGptTranscript.Vocabulary.Should().HaveLength(32);
        ChessGptTranscript.Vocabulary.Distinct().Should().HaveCount(32);
        var tokens = ChessGptTranscript.Encode(";1.e4 e5");
        tokens.Should().Equal(15, 6, 4, 27, 9, 0, 27, 10);
        ChessGptTranscript.Decode(tokens).Should().Be(";1.e4 e5");
        var bad = () => ChessGptTranscript.Encode(";1.e4 e5 2.Nf3 {");
        bad.Should().Throw<FormatException>().WithMessage("*'{' at index 15*");
        var badToken = () => ChessGptTranscript.Decode([3, 40]);
        badToken.Should().Throw<FormatException>().WithMessage("*token 40 at index 1*");
    }

    [Fact]
    public void Transcripts_of_random_games_round_trip_and_every_character_is_in_the_vocabulary()
    {
        for (var i = 0; i < 100; i++)
        {
            var game = RandomChessGames.Game(9, i);
            var transcript = ChessGptTranscript.Format(game);
            ChessGptTranscript.Decode(ChessGptTranscript.Encode(transcript)).Should().Be(transcript);
            ChessGptTranscript.Parse(transcript).Moves.Should().Equal(game.Moves);
        }
    }

    [Fact]
    public void Truncation_keeps_a_prefix_and_a_partial_trailing_move_is_ignored()
    {
        var game = ChessGame.FromSan(["e4", "e5", "Nf3", "Nc6", "Bb5", "a6"]);
        var full = ChessGptTranscript.Format(game);
        var cut = ChessGptTranscript.Truncate(full, 16); // ";1.e4 e5 2.Nf3 N"
        cut.Should().Be(";1.e4 e5 2.Nf3 N");
        ChessGptTranscript.Parse(cut).SanMoves().Should().Equal("e4", "e5", "Nf3");
        ChessGptTranscript.Truncate(full, 1000).Should().Be(full);
        ChessGptTranscript.Truncate(full).Should().Be(full);
    }

    [Fact]
    public void Dot_positions_are_white_to_move_states_the_first_being_the_start()
    {
        var transcript = ";1.e4 e5 2.Nf3 Nc6 3.Bb5 a6 4.B";
        var dots = ChessGptTranscript.DotPositions(transcript);
        dots.Select(d => d.CharIndex).Should().Equal(2, 10, 20, 29);
        dots[0].Ply.Position.Should().Be(ChessPosition.Initial);
        dots[1].Ply.Position.ToFen().Should().Be("rnbqkbnr/pppp1ppp/8/4p3/4P3/8/PPPP1PPP/RNBQKBNR w KQkq - 0 2");
        dots[3].Ply.Position.ToFen().Should().Be("r1bqkbnr/1ppp1ppp/p1n5/1B2p3/4P3/5N2/PPPP1PPP/RNBQK2R w KQkq - 0 4");
        dots.Should().OnlyContain(d => d.Ply.Position.ToMove == ChessColor.White);
        ChessGptTranscript.DotPositions(ChessGptTranscript.Format(RandomChessGames.Game(1, 0, 200)), 20).Should().HaveCount(20);
        ChessGptTranscript.DotPositions(transcript, 2).Should().HaveCount(2);
    }
}
