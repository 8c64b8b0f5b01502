using Sae.Metrics.Supervised;

namespace Sae.Metrics.Tests.Supervised;

public class BspSetTests
{
    [Fact]
    public void The_chess_strategy_set_has_the_papers_14_bsps()
    {
        BspSet.ChessStrategy.Members.Should().HaveCount(14).And.OnlyHaveUniqueItems();
        foreach (var name in BspSet.ChessStrategy.Members)
            Sae.Games.Chess.ChessProperties.ByName(name).Name.Should().Be(name, "each member names a chess property");
    }

    [Fact]
    public void A_set_averages_its_members_and_ignores_other_results()
    {
        var set = new BspSet("pair", ["check", "pin"]);
        var values = new Dictionary<string, double> { ["check"] = 0.5, ["pin"] = 0.25, ["piece"] = 1 };
        set.Average(values).Should().Be(0.375);
    }

    [Fact]
    public void A_missing_member_is_named()
    {
        var set = new BspSet("pair", ["check", "pin"]);
        FluentActions.Invoking(() => set.Average(new Dictionary<string, double> { ["check"] = 0.5 }))
            .Should().Throw<KeyNotFoundException>().WithMessage("*pair*pin*");
    }
}
