using Sae.Games.BoardState;
using Sae.Games.Othello;

namespace Sae.Games.Tests.Othello;

public class OthelloPropertyTests
{
    private static byte[] Labels(IBoardStateProperty<OthelloPly> property, OthelloPly ply)
    {
        var labels = new byte[property.Shape.Size];
        property.Write(ply, labels);
        return labels;
    }

    /// <summary>The squares whose channel <paramref name="channel"/> is set, by name.</summary>
    private static string[] On(byte[] labels, int channels, int channel) =>
        [.. Enumerable.Range(0, 64).Where(s => labels[s * channels + channel] == 1).Select(s => new Square(s).Name)];

    /// <summary>A random game with a pass at an early ply, and the index of the ply after which the pass happens.</summary>
    private static (OthelloGame Game, int PassPly) GameWithPass()
    {
        for (var i = 0; ; i++)
        {
            var game = RandomOthelloGames.Game(99, i);
            var pass = game.Plies.FirstOrDefault(p => p.OpponentPasses);
            if (pass != default && pass.Index < game.Length - 2) return (game, pass.Index);
        }
    }

    [Fact]
    public void After_f5_mine_is_white_and_yours_is_black()
    {
        var ply = OthelloGame.Parse("f5").Plies[0];
        var labels = Labels(OthelloProperties.MineYoursBlank, ply);
        On(labels, 3, 0).Should().BeEquivalentTo("d4");
        On(labels, 3, 2).Should().BeEquivalentTo("e4", "d5", "e5", "f5");
        On(labels, 3, 1).Should().HaveCount(59);
        // Element index = square · 3 + channel, in the reference's [row, col, channel] order.
        labels[27 * 3 + 0].Should().Be(1);
        labels[28 * 3 + 2].Should().Be(1);
    }

    [Fact]
    public void After_f5_d6_mine_is_black_again()
    {
        var ply = OthelloGame.Parse("f5 d6").Plies[1];
        var labels = Labels(OthelloProperties.MineYoursBlank, ply);
        On(labels, 3, 0).Should().BeEquivalentTo("e4", "e5", "f5");
        On(labels, 3, 2).Should().BeEquivalentTo("d4", "d5", "d6");
    }

    [Fact]
    public void Mine_yours_blank_is_one_hot_on_every_square_and_masking_zeroes_only_blank()
    {
        var game = RandomOthelloGames.Game(1, 1);
        foreach (var ply in game.Plies)
        {
            var full = Labels(OthelloProperties.MineYoursBlank, ply);
            var masked = Labels(OthelloProperties.MineYoursBlankMasked, ply);
            for (var s = 0; s < 64; s++)
            {
                (full[3 * s] + full[3 * s + 1] + full[3 * s + 2]).Should().Be(1);
                masked[3 * s + 1].Should().Be(0);
                masked[3 * s].Should().Be(full[3 * s]);
                masked[3 * s + 2].Should().Be(full[3 * s + 2]);
            }
        }
        OthelloProperties.MineYoursBlankMasked.MaskedChannel.Should().BeNull("the reference's config of the BSP declares no masked class");
        OthelloProperties.MineYoursBlank.MaskedChannel.Should().BeNull();
    }

    [Fact]
    public void Parity_and_side_to_move_agree_until_a_pass_and_swap_mine_and_yours_after_an_odd_number()
    {
        var (game, _) = GameWithPass();
        var passes = 0;
        foreach (var ply in game.Plies)
        {
            if (ply.OpponentPasses) passes++;
            var parity = Labels(OthelloProperties.MineYoursBlank, ply);
            var actual = Labels(OthelloProperties.MineYoursBlankSideToMove, ply);
            On(actual, 3, 0).Should().BeEquivalentTo(OthelloPosition.SquaresOf(ply.Position.DiscsOf(ply.Position.ToMove)));
            if (passes % 2 == 0)
            {
                actual.Should().Equal(parity);
                continue;
            }
            On(actual, 3, 0).Should().BeEquivalentTo(On(parity, 3, 2));
            On(actual, 3, 2).Should().BeEquivalentTo(On(parity, 3, 0));
        }
        passes.Should().BeGreaterThan(0);
    }

    [Fact]
    public void Valid_moves_follow_the_actual_next_player_and_the_parity_variant_does_not()
    {
        var (game, passPly) = GameWithPass();
        var pass = game.Plies[passPly];
        var valid = Labels(OthelloProperties.ValidMoves, pass);
        On(valid, 1, 0).Should().BeEquivalentTo(OthelloPosition.SquaresOf(pass.Position.LegalMoves));
        On(valid, 1, 0).Should().NotBeEmpty("the player who moved moves again");
        // Parity names the player who has to pass: it has no moves.
        On(Labels(OthelloProperties.ValidMovesParity, pass), 1, 0).Should().BeEmpty();

        var first = OthelloGame.Parse("f5").Plies[0];
        On(Labels(OthelloProperties.ValidMoves, first), 1, 0).Should().BeEquivalentTo("d6", "f4", "f6");
        On(Labels(OthelloProperties.ValidMovesParity, first), 1, 0).Should().BeEquivalentTo("d6", "f4", "f6");
        On(Labels(OthelloProperties.ValidMoves, game.Plies[^1]), 1, 0).Should().BeEmpty("the game is over");
    }

    [Fact]
    public void Flipped_and_last_move_mark_what_the_ply_did()
    {
        var plies = OthelloGame.Parse("f5 d6 c3").Plies;
        On(Labels(OthelloProperties.Flipped, plies[0]), 1, 0).Should().Equal("e5");
        On(Labels(OthelloProperties.LastMove, plies[0]), 1, 0).Should().Equal("f5");
        On(Labels(OthelloProperties.Flipped, plies[1]), 1, 0).Should().Equal("d5");
        On(Labels(OthelloProperties.Flipped, plies[2]), 1, 0).Should().Equal("d4");
        On(Labels(OthelloProperties.LastMove, plies[2]), 1, 0).Should().Equal("c3");
    }

    [Fact]
    public void White_blank_black_uses_the_reference_channel_order()
    {
        var ply = OthelloGame.Parse("f5").Plies[0];
        var labels = Labels(OthelloProperties.WhiteBlankBlack, ply);
        On(labels, 3, 0).Should().BeEquivalentTo("d4");
        On(labels, 3, 2).Should().BeEquivalentTo("e4", "d5", "e5", "f5");
    }

    [Fact]
    public void A_whole_game_is_labelled_in_one_array_of_one_row_per_ply()
    {
        var game = RandomOthelloGames.Game(2, 2);
        foreach (var property in OthelloProperties.All)
        {
            var all = property.Label(game.Plies);
            all.Should().HaveCount(game.Length * property.Shape.Size);
            all.Should().OnlyContain(b => b <= 1);
            for (var i = 0; i < game.Length; i += 7)
                all.AsSpan(i * property.Shape.Size, property.Shape.Size).ToArray().Should().Equal(Labels(property, game.Plies[i]));
        }
    }

    [Fact]
    public void Properties_have_distinct_names_and_are_found_by_name()
    {
        OthelloProperties.All.Select(p => p.Name).Should().OnlyHaveUniqueItems();
        OthelloProperties.ByName("mine_yours_blank_masked").Should().BeSameAs(OthelloProperties.MineYoursBlankMasked);
        var unknown = () => OthelloProperties.ByName("nope");
        unknown.Should().Throw<KeyNotFoundException>().WithMessage("*'nope'*valid_moves*");
    }
}
