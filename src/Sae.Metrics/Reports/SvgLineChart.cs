using System.Globalization;
using System.Net;
using System.Text;

namespace Sae.Metrics.Reports;

/// <summary>
/// A small, dependency-free SVG chart: named series of (x, y) points drawn as markers joined by lines, with
/// optional vertical error bars, horizontal reference lines (dashed, named in the legend), points of another
/// source drawn as hollow markers (the paper's SAEs beside ours), axes fitted to the data with round ticks (the
/// y axis may be made to include a value, such as 0 for a fraction; the x axis may be logarithmic), and a
/// legend. Enough for the report's frontiers and training curves; the output is plain SVG that browsers and
/// Markdown viewers show.
/// </summary>
public sealed class SvgLineChart(string title, string xLabel, string yLabel)
{
    private static readonly string[] Palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"];
    private static readonly string[] ReferencePalette = ["#555555", "#b8860b", "#008b8b", "#8b008b"];
    private readonly List<(string Name, IReadOnlyList<ChartPoint> Points, bool Markers)> _series = [];
    private readonly List<(string Name, double Y)> _references = [];
    private readonly List<(string Name, IReadOnlyList<ChartPoint> Points, string? ColourOf)> _hollow = [];
    private double? _yIncludes;
    private bool _logX;

    /// <summary>A point of a series, with an optional interval [<paramref name="Low"/>, <paramref name="High"/>] drawn as an error bar.</summary>
    /// <param name="X">The x value.</param>
    /// <param name="Y">The y value.</param>
    /// <param name="Low">The interval's lower end, or null for no bar.</param>
    /// <param name="High">The interval's upper end, or null for no bar.</param>
    public readonly record struct ChartPoint(double X, double Y, double? Low = null, double? High = null);

    /// <summary>Adds a series; points are drawn in x order. <paramref name="markers"/> draws a dot at each point.</summary>
    public SvgLineChart Add(string name, IEnumerable<(double X, double Y)> points, bool markers = true) =>
        Add(name, points.Select(p => new ChartPoint(p.X, p.Y)), markers);

    /// <summary>Adds a series of points with error bars where they have an interval; points are drawn in x order.</summary>
    public SvgLineChart Add(string name, IEnumerable<ChartPoint> points, bool markers = true)
    {
        _series.Add((name, [.. points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).OrderBy(p => p.X)], markers));
        return this;
    }

    /// <summary>Adds a horizontal dashed reference line at <paramref name="y"/> (a baseline), named in the legend.</summary>
    public SvgLineChart AddReference(string name, double y)
    {
        if (double.IsFinite(y)) _references.Add((name, y));
        return this;
    }

    /// <summary>
    /// Adds points drawn as hollow markers, not joined (another source's results beside the series, such as the
    /// paper's SAEs), named in the legend. <paramref name="colourOf"/> names the series whose colour they take.
    /// </summary>
    public SvgLineChart AddHollow(string name, IEnumerable<(double X, double Y)> points, string? colourOf = null)
    {
        _hollow.Add((name, [.. points.Select(p => new ChartPoint(p.X, p.Y)).Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y))], colourOf));
        return this;
    }

    /// <summary>Makes the x axis logarithmic (base 10; points with x ≤ 0 are left out), for quantities such as L0 that span decades.</summary>
    public SvgLineChart LogX()
    {
        _logX = true;
        return this;
    }

    /// <summary>Makes the y axis include <paramref name="y"/> (0 for a fraction, so that noise does not look like a trend).</summary>
    public SvgLineChart IncludeY(double y)
    {
        _yIncludes = y;
        return this;
    }

    /// <summary>The chart as an SVG document of <paramref name="width"/> x <paramref name="height"/> pixels.</summary>
    public string ToSvg(int width = 520, int height = 340)
    {
        const double left = 60, top = 30, bottom = 45;
        // The legend's width follows its longest name (about 6.2 pixels a character at this font size).
        var names = _series.Select(s => s.Name).Concat(_hollow.Select(h => h.Name)).Concat(_references.Select(r => r.Name)).ToList();
        var right = Math.Max(150, 34 + 6.2 * names.DefaultIfEmpty("").Max(n => n.Length));
        var all = _series.SelectMany(s => s.Points).Concat(_hollow.SelectMany(h => h.Points)).Where(p => !_logX || p.X > 0).ToList();
        double Tx(double x) => _logX ? Math.Log10(x) : x;
        var (x0, x1) = Range(all.Select(p => Tx(p.X)));
        var (y0, y1) = Range(all.SelectMany(p => new[] { p.Y, p.Low ?? p.Y, p.High ?? p.Y })
            .Concat(_references.Select(r => r.Y)).Concat(_yIncludes is { } include ? [include] : []));
        if (_yIncludes is { } included && y0 < included && all.Concat(_references.Select(r => new ChartPoint(0, r.Y))).All(p => (p.Low ?? p.Y) >= included))
            y0 = included; // start the axis at the included value itself rather than padded below it
        var plotW = width - left - right;
        var plotH = height - top - bottom;
        double Px(double x) => left + (Tx(x) - x0) / (x1 - x0) * plotW;
        double Py(double y) => top + plotH - (y - y0) / (y1 - y0) * plotH;
        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"11\">"));
        svg.Append(Invariant($"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>"));
        svg.Append(Invariant($"<text x=\"{left + plotW / 2}\" y=\"18\" text-anchor=\"middle\" font-size=\"13\">{Escape(title)}</text>"));
        svg.Append(Invariant($"<rect x=\"{left}\" y=\"{top}\" width=\"{plotW}\" height=\"{plotH}\" fill=\"none\" stroke=\"#888\"/>"));
        foreach (var t in _logX ? LogTicks(x0, x1) : Ticks(x0, x1))
            svg.Append(Invariant($"<line x1=\"{Px(t):F1}\" y1=\"{top + plotH}\" x2=\"{Px(t):F1}\" y2=\"{top + plotH + 4}\" stroke=\"#888\"/><text x=\"{Px(t):F1}\" y=\"{top + plotH + 16}\" text-anchor=\"middle\">{Format(t)}</text>"));
        foreach (var t in Ticks(y0, y1))
            svg.Append(Invariant($"<line x1=\"{left - 4}\" y1=\"{Py(t):F1}\" x2=\"{left + plotW}\" y2=\"{Py(t):F1}\" stroke=\"#eee\"/><text x=\"{left - 6}\" y=\"{Py(t) + 4:F1}\" text-anchor=\"end\">{Format(t)}</text>"));
        svg.Append(Invariant($"<text x=\"{left + plotW / 2}\" y=\"{height - 8}\" text-anchor=\"middle\">{Escape(xLabel)}</text>"));
        svg.Append(Invariant($"<text transform=\"translate(14 {top + plotH / 2}) rotate(-90)\" text-anchor=\"middle\">{Escape(yLabel)}</text>"));
        for (var i = 0; i < _series.Count; i++)
        {
            var (name, allPoints, markers) = _series[i];
            var points = allPoints.Where(p => !_logX || p.X > 0).ToList();
            var colour = Palette[i % Palette.Length];
            if (points.Count > 1)
                svg.Append(Invariant($"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.5\" points=\"{string.Join(' ', points.Select(p => Invariant($"{Px(p.X):F1},{Py(p.Y):F1}")))}\"/>"));
            foreach (var p in points.Where(p => p.Low is not null && p.High is not null))
                svg.Append(Invariant($"<line class=\"error-bar\" x1=\"{Px(p.X):F1}\" y1=\"{Py(p.Low!.Value):F1}\" x2=\"{Px(p.X):F1}\" y2=\"{Py(p.High!.Value):F1}\" stroke=\"{colour}\" stroke-width=\"1\"/>"));
            if (markers)
                foreach (var p in points)
                    svg.Append(Invariant($"<circle cx=\"{Px(p.X):F1}\" cy=\"{Py(p.Y):F1}\" r=\"3.5\" fill=\"{colour}\"/>"));
            var ly = top + 10 + i * 16;
            svg.Append(Invariant($"<rect x=\"{left + plotW + 10}\" y=\"{ly - 8}\" width=\"10\" height=\"10\" fill=\"{colour}\"/><text x=\"{left + plotW + 24}\" y=\"{ly + 1}\">{Escape(name)}</text>"));
        }
        for (var h = 0; h < _hollow.Count; h++)
        {
            var (name, points, colourOf) = _hollow[h];
            var owner = _series.FindIndex(s => s.Name == colourOf);
            var colour = Palette[(owner >= 0 ? owner : _series.Count + h) % Palette.Length];
            foreach (var p in points.Where(p => !_logX || p.X > 0))
                svg.Append(Invariant($"<circle class=\"hollow\" cx=\"{Px(p.X):F1}\" cy=\"{Py(p.Y):F1}\" r=\"3.5\" fill=\"white\" stroke=\"{colour}\" stroke-width=\"1.3\"/>"));
            var ly = top + 10 + (_series.Count + h) * 16;
            svg.Append(Invariant($"<circle cx=\"{left + plotW + 15}\" cy=\"{ly - 3}\" r=\"4\" fill=\"white\" stroke=\"{colour}\" stroke-width=\"1.3\"/><text x=\"{left + plotW + 24}\" y=\"{ly + 1}\">{Escape(name)}</text>"));
        }
        for (var r = 0; r < _references.Count; r++)
        {
            var (name, y) = _references[r];
            var colour = ReferencePalette[r % ReferencePalette.Length];
            var ly = top + 10 + (_series.Count + _hollow.Count + r) * 16;
            svg.Append(Invariant($"<line class=\"reference\" x1=\"{left}\" y1=\"{Py(y):F1}\" x2=\"{left + plotW}\" y2=\"{Py(y):F1}\" stroke=\"{colour}\" stroke-width=\"1.5\" stroke-dasharray=\"6,4\"/>"));
            svg.Append(Invariant($"<line x1=\"{left + plotW + 8}\" y1=\"{ly - 3}\" x2=\"{left + plotW + 22}\" y2=\"{ly - 3}\" stroke=\"{colour}\" stroke-width=\"1.5\" stroke-dasharray=\"4,2\"/><text x=\"{left + plotW + 24}\" y=\"{ly + 1}\">{Escape(name)}</text>"));
        }
        svg.Append("</svg>");
        return svg.ToString();
    }

    private static (double Low, double High) Range(IEnumerable<double> values)
    {
        var list = values.ToList();
        if (list.Count == 0) return (0, 1);
        double low = list.Min(), high = list.Max();
        if (high - low < 1e-12) { low -= 0.5; high += 0.5; }
        var pad = (high - low) * 0.05;
        return (low - pad, high + pad);
    }

    /// <summary>Round tick values (1, 2 or 5 times a power of ten apart) inside [low, high].</summary>
    private static IEnumerable<double> Ticks(double low, double high)
    {
        var raw = (high - low) / 5;
        var power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1.0, 2.0, 5.0, 10.0 }.Select(m => m * power).First(s => s >= raw);
        for (var t = Math.Ceiling(low / step) * step; t <= high + step * 1e-9; t += step) yield return Math.Abs(t) < step * 1e-9 ? 0 : t;
    }

    /// <summary>Ticks of a logarithmic axis whose ends are <paramref name="low"/> and <paramref name="high"/> in log10 units: 1, 2 and 5 times each power of ten where the axis spans under three decades, else the powers of ten; returned as values, not logarithms.</summary>
    private static IEnumerable<double> LogTicks(double low, double high)
    {
        var multiples = high - low < 3 ? new[] { 1.0, 2.0, 5.0 } : [1.0];
        for (var power = Math.Floor(low); power <= Math.Ceiling(high); power++)
            foreach (var m in multiples)
            {
                var value = m * Math.Pow(10, power);
                if (Math.Log10(value) >= low - 1e-9 && Math.Log10(value) <= high + 1e-9) yield return value;
            }
    }

    private static string Format(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

    private static string Escape(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
