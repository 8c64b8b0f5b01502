using System.Text.RegularExpressions;
using Microsoft.DotNet.Interactive.Formatting;
using Sae.Games.Othello;
using Sae.Metrics.Reports;

namespace Sae.Notebooks.Tests;

public class BoardSvgTests
{
    private static int Count(string svg, string fill) => Regex.Matches(svg, $"fill=\"{Regex.Escape(fill)}\"").Count;

    [Fact]
    public void The_initial_position_has_two_discs_of_each_colour_and_four_legal_moves()
    {
        var svg = BoardSvg.Position(OthelloPosition.Initial);
        Count(svg, "#111").Should().Be(2);
        Count(svg, "#f5f5f5").Should().Be(2);
        Count(svg, "#a5d6a7").Should().Be(4, "black may play d3, c4, f5 and e6");
        Count(svg, "#2e7d32").Should().Be(64);
    }

    [Fact]
    public void A_heat_map_is_red_for_the_largest_positive_value_blue_for_its_negative_and_white_at_zero()
    {
        var values = new double[64];
        values[0] = 2;
        values[63] = -2;
        var svg = BoardSvg.HeatMap(new BoardHeatMap(values, "t"));
        var fills = Regex.Matches(svg, "<rect [^>]*fill=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        fills.Should().HaveCount(64 + 16, "a square per cell, then the 16 steps of the colour scale");
        fills[0].Should().Be("rgb(255,0,0)");
        fills[63].Should().Be("rgb(0,0,255)");
        fills[1].Should().Be("rgb(255,255,255)");
        // The scale runs from red at the top to blue at the bottom and names its ends: ±2.
        var scale = fills.Skip(64).ToList();
        scale[0].Should().StartWith("rgb(255,");
        scale[^1].Should().EndWith(",255)");
        svg.Should().Contain("class=\"colour-scale\"").And.Contain(">+2.00<").And.Contain(">-2.00<");
    }

    [Fact]
    public void A_heat_map_needs_one_value_per_square()
    {
        var make = () => new BoardHeatMap(new double[63]);
        make.Should().Throw<ArgumentException>().WithMessage("*64 values*63*");
    }

    [Fact]
    public void Registered_formatters_display_positions_and_heat_maps_as_svg()
    {
        BoardFormatters.Register();
        OthelloPosition.Initial.ToDisplayString(HtmlFormatter.MimeType).Should().StartWith("<svg");
        new BoardHeatMap(new double[64]).ToDisplayString(HtmlFormatter.MimeType).Should().StartWith("<svg");
        new SvgLineChart("t", "x", "y").Add("s", [(1, 2), (2, 3)]).ToDisplayString(HtmlFormatter.MimeType).Should().StartWith("<svg");
    }
}
