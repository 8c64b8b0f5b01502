using System.Diagnostics;

namespace Sae.Cli;

/// <summary>
/// A progress bar on standard error: redrawn in place at most ten times a second when standard
/// error is a terminal, silent when it is redirected (so logs and pipes stay clean).
/// </summary>
internal sealed class ConsoleProgressBar : IProgress<long>
{
    private const int Width = 30;
    private readonly TextWriter _error;
    private readonly long _total;
    private readonly string _unit;
    private readonly bool _draw;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _lastDraw = long.MinValue;

    /// <summary>A bar counting to <paramref name="total"/> <paramref name="unit"/>.</summary>
    public ConsoleProgressBar(TextWriter error, long total, string unit)
    {
        _error = error;
        _total = Math.Max(1, total);
        _unit = unit;
        _draw = ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected;
    }

    /// <inheritdoc />
    public void Report(long value)
    {
        if (!_draw) return;
        var now = _clock.ElapsedMilliseconds;
        if (value < _total && now - _lastDraw < 100) return;
        _lastDraw = now;
        var filled = (int)(Width * Math.Min(value, _total) / _total);
        var rate = value / Math.Max(1e-3, _clock.Elapsed.TotalSeconds);
        _error.Write($"\r[{new string('#', filled)}{new string('.', Width - filled)}] {100.0 * value / _total,5:F1}% {value:N0}/{_total:N0} {_unit} ({rate:N0}/s)");
        if (value >= _total) _error.WriteLine();
    }
}
