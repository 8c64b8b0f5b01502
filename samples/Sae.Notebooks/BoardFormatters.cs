using Microsoft.DotNet.Interactive.Formatting;
using Sae.Games.Othello;
using Sae.Metrics.Reports;

namespace Sae.Notebooks;

/// <summary>Makes notebooks show Othello positions, board heat maps and charts as pictures, drawn as the report draws them.</summary>
public static class BoardFormatters
{
    /// <summary>Registers the HTML formatters of <see cref="OthelloPosition"/>, <see cref="BoardHeatMap"/> and <see cref="SvgLineChart"/> (SVG inline).</summary>
    public static void Register()
    {
        Formatter.Register<OthelloPosition>((position, writer) => writer.Write(BoardSvg.Position(position)), HtmlFormatter.MimeType);
        Formatter.Register<BoardHeatMap>((map, writer) => writer.Write(BoardSvg.HeatMap(map)), HtmlFormatter.MimeType);
        Formatter.Register<SvgLineChart>((chart, writer) => writer.Write(chart.ToSvg()), HtmlFormatter.MimeType);
    }
}
