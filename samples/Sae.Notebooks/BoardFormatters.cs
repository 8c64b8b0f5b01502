using Microsoft.DotNet.Interactive.Formatting;
using Sae.Games.Othello;
using Sae.Metrics.Reports;

namespace Sae.Notebooks;

/// <summary>Makes notebooks show Othello positions and board heat maps as pictures.</summary>
public static class BoardFormatters
{
    /// <summary>Registers the HTML formatters of <see cref="OthelloPosition"/> and <see cref="BoardHeatMap"/> (SVG inline).</summary>
    public static void Register()
    {
        Formatter.Register<OthelloPosition>((position, writer) => writer.Write(BoardSvg.Position(position)), HtmlFormatter.MimeType);
        Formatter.Register<BoardHeatMap>((map, writer) => writer.Write(BoardSvg.HeatMap(map)), HtmlFormatter.MimeType);
    }
}
