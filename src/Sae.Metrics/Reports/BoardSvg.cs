using System.Globalization;
using System.Text;
using Sae.Games;
using Sae.Games.Othello;

namespace Sae.Metrics.Reports;

/// <summary>
/// Draws Othello boards as SVG. Rows run 1..8 from the top and columns a..h from the left, so square
/// index 8·(rank − 1) + file reads like text, as in the reference's plots.
/// </summary>
public static class BoardSvg
{
    private const int Cell = 28, Margin = 18;
    private const int Side = Margin + 8 * Cell;

    /// <summary>A position: green board, black and white discs, legal moves of the side to move as small dots.</summary>
    public static string Position(OthelloPosition position, string title = "")
    {
        var svg = Begin(title);
        for (var square = 0; square < 64; square++)
        {
            var (x, y) = Corner(square);
            svg.Append(Rect(x, y, "#2e7d32"));
            var colour = position[new Square(square)] switch
            {
                OthelloColor.Black => "#111",
                OthelloColor.White => "#f5f5f5",
                _ => null,
            };
            if (colour is not null)
                svg.Append(Invariant($"<circle cx=\"{x + Cell / 2}\" cy=\"{y + Cell / 2}\" r=\"{Cell / 2 - 3}\" fill=\"{colour}\" stroke=\"#000\" stroke-width=\"0.5\"/>"));
            else if (((position.LegalMoves >> square) & 1) != 0)
                svg.Append(Invariant($"<circle cx=\"{x + Cell / 2}\" cy=\"{y + Cell / 2}\" r=\"3\" fill=\"#a5d6a7\"/>"));
        }
        return End(svg);
    }

    /// <summary>
    /// A heat map: white at 0, red for positive and blue for negative values, scaled by the largest magnitude, with a
    /// colour scale beside the board that names the values at its ends.
    /// </summary>
    public static string HeatMap(BoardHeatMap map)
    {
        var svg = Begin(map.Title, ScaleWidth);
        var scale = map.Values.Max(Math.Abs);
        for (var square = 0; square < 64; square++)
        {
            var (x, y) = Corner(square);
            svg.Append(Rect(x, y, Colour(map.Values[square], scale)));
            svg.Append(Invariant($"<title>{Names[square]}: {map.Values[square]:G4}</title>"));
        }
        const int steps = 16, left = Side + 10, height = 8 * Cell;
        svg.Append("<g class=\"colour-scale\">");
        for (var i = 0; i < steps; i++)
            svg.Append(Invariant($"<rect x=\"{left}\" y=\"{Margin + i * height / (double)steps:F1}\" width=\"12\" height=\"{height / (double)steps + 0.5:F1}\" fill=\"{Colour(scale - 2 * scale * (i + 0.5) / steps, scale)}\"/>"));
        svg.Append(Invariant($"<text x=\"{left + 15}\" y=\"{Margin + 8}\">{scale:+0.00;-0.00;0}</text><text x=\"{left + 15}\" y=\"{Margin + height / 2 + 4}\">0</text><text x=\"{left + 15}\" y=\"{Margin + height}\">{-scale:+0.00;-0.00;0}</text></g>"));
        return End(svg);
    }

    private const int ScaleWidth = 56;

    /// <summary>White at 0, towards red for positive and blue for negative values, full at ±<paramref name="scale"/>.</summary>
    private static string Colour(double value, double scale)
    {
        var v = scale > 0 ? Math.Clamp(value / scale, -1, 1) : 0;
        var fade = (int)Math.Round(255 * (1 - Math.Abs(v)));
        return v >= 0 ? $"rgb(255,{fade},{fade})" : $"rgb({fade},{fade},255)";
    }

    private static readonly string[] Names = [.. Enumerable.Range(0, 64).Select(s => new Square(s).ToString())];

    private static StringBuilder Begin(string title, int extraWidth = 0)
    {
        var top = title.Length > 0 ? 16 : 0;
        var svg = new StringBuilder(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Side + 4 + extraWidth}\" height=\"{Side + 4 + top}\" font-family=\"sans-serif\" font-size=\"11\">"));
        if (top > 0) svg.Append(Invariant($"<text x=\"{Margin}\" y=\"12\">{System.Security.SecurityElement.Escape(title)}</text>"));
        svg.Append(Invariant($"<g transform=\"translate(0,{top})\">"));
        for (var i = 0; i < 8; i++)
        {
            svg.Append(Invariant($"<text x=\"{Margin + i * Cell + Cell / 2 - 3}\" y=\"12\">{(char)('a' + i)}</text>"));
            svg.Append(Invariant($"<text x=\"4\" y=\"{Margin + i * Cell + Cell / 2 + 4}\">{i + 1}</text>"));
        }
        return svg;
    }

    private static string End(StringBuilder svg) => svg.Append("</g></svg>").ToString();

    private static (int X, int Y) Corner(int square) => (Margin + square % 8 * Cell, Margin + square / 8 * Cell);

    private static string Rect(int x, int y, string fill) =>
        Invariant($"<rect x=\"{x}\" y=\"{y}\" width=\"{Cell}\" height=\"{Cell}\" fill=\"{fill}\" stroke=\"#444\" stroke-width=\"0.5\"/>");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
