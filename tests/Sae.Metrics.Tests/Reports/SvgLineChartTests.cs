using System.Text.RegularExpressions;
using System.Xml.Linq;
using Sae.Metrics.Reports;

namespace Sae.Metrics.Tests.Reports;

public class SvgLineChartTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void A_fraction_axis_starts_at_zero_so_small_differences_do_not_look_like_a_trend()
    {
        var chart = new SvgLineChart("Board reconstruction", "L0", "F1").IncludeY(0)
            .Add("Standard", [(10, 0.0195), (20, 0.021), (40, 0.023)]);
        var svg = XDocument.Parse(chart.ToSvg());
        var ticks = svg.Descendants(Svg + "text").Select(t => t.Value).ToList();
        ticks.Should().Contain("0", "the y axis reaches down to 0");
        var without = XDocument.Parse(new SvgLineChart("t", "x", "y").Add("Standard", [(10, 0.0195), (20, 0.021), (40, 0.023)]).ToSvg());
        without.Descendants(Svg + "text").Select(t => t.Value).Should().NotContain("0", "without IncludeY the axis fits the data");
    }

    [Fact]
    public void Intervals_are_drawn_as_error_bars_spanning_them_and_baselines_as_named_dashed_lines()
    {
        var chart = new SvgLineChart("Coverage", "L0", "coverage").IncludeY(0)
            .Add("TopK", [new SvgLineChart.ChartPoint(8, 0.2, 0.1, 0.3), new SvgLineChart.ChartPoint(32, 0.4, 0.35, 0.45), new SvgLineChart.ChartPoint(16, 0.3)])
            .AddReference("random-model-standard", 0.25)
            .AddReference("linear_probe_layer_3", 0.8);
        var svg = XDocument.Parse(chart.ToSvg());
        var bars = svg.Descendants(Svg + "line").Where(l => (string?)l.Attribute("class") == "error-bar").ToList();
        bars.Should().HaveCount(2, "the point without an interval has no bar");
        var circles = svg.Descendants(Svg + "circle").ToList();
        circles.Should().HaveCount(3);
        // Each bar is vertical at its point's x and spans the interval around its point: the marker's y lies between the ends.
        foreach (var bar in bars)
        {
            var x = (double)bar.Attribute("x1")!;
            ((double)bar.Attribute("x2")!).Should().Be(x);
            var marker = circles.Single(c => (double)c.Attribute("cx")! == x);
            var (top, bottom) = ((double)bar.Attribute("y2")!, (double)bar.Attribute("y1")!);
            ((double)marker.Attribute("cy")!).Should().BeInRange(top, bottom);
        }
        var references = svg.Descendants(Svg + "line").Where(l => (string?)l.Attribute("class") == "reference").ToList();
        references.Should().HaveCount(2).And.OnlyContain(l => l.Attribute("stroke-dasharray") != null && (double)l.Attribute("y1")! == (double)l.Attribute("y2")!);
        svg.Descendants(Svg + "text").Select(t => t.Value).Should().Contain(["random-model-standard", "linear_probe_layer_3", "TopK"]);
        // The probe's line (0.8) lies above the random model's (0.25): smaller y in SVG coordinates.
        ((double)references[1].Attribute("y1")!).Should().BeLessThan((double)references[0].Attribute("y1")!);
        Regex.IsMatch(chart.ToSvg(), "NaN|Infinity").Should().BeFalse();
    }
}

public class SvgLineChartMarkerTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void Another_sources_points_are_hollow_in_their_familys_colour_and_a_log_axis_puts_10_midway_between_1_and_100()
    {
        var chart = new SvgLineChart("Coverage", "L0", "coverage").LogX()
            .Add("Gated", [(1, 0.2), (100, 0.4)])
            .AddHollow("paper L5: Gated", [(10, 0.5), (1000, 0.45), (-1, 0.1)], colourOf: "Gated");
        var svg = XDocument.Parse(chart.ToSvg());
        var circles = svg.Descendants(Svg + "circle").ToList();
        var hollow = circles.Where(c => (string?)c.Attribute("class") == "hollow").ToList();
        hollow.Should().HaveCount(2, "the point at x = −1 has no place on a log axis");
        var filled = circles.Where(c => c.Attribute("class") is null && (string?)c.Attribute("fill") != "white").ToList();
        filled.Should().HaveCount(2);
        hollow.Should().OnlyContain(c => (string?)c.Attribute("fill") == "white" && (string?)c.Attribute("stroke") == (string?)filled[0].Attribute("fill"));
        var x = (Func<XElement, double>)(c => (double)c.Attribute("cx")!);
        x(hollow[0]).Should().BeApproximately((x(filled[0]) + x(filled[1])) / 2, 0.2, "log10(10) is midway between log10(1) and log10(100)");
        svg.Descendants(Svg + "text").Select(t => t.Value).Should().Contain(["1", "10", "100", "1000", "paper L5: Gated"]);
    }
}
