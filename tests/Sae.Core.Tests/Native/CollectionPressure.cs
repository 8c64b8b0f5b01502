namespace Sae.Core.Tests.Native;

/// <summary>
/// Runs full blocking collections and finalisers back to back on a thread of its own until disposed, so
/// that any TorchSharp object which nothing keeps alive is finalised — its native memory freed — while the
/// test's libtorch calls run. A temporary scalar or tensor whose lifetime ends before the native call that
/// reads it then fails that call within seconds instead of once in hours.
/// </summary>
public sealed class CollectionPressure : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;

    /// <summary>Starts collecting.</summary>
    public CollectionPressure()
    {
        _thread = new Thread(() =>
        {
            while (!_stop.IsCancellationRequested)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                Collections++;
            }
        }) { IsBackground = true, Name = "collection pressure" };
        _thread.Start();
    }

    /// <summary>Collections run so far.</summary>
    public long Collections { get; private set; }

    /// <summary>Runs <paramref name="work"/> again and again until <paramref name="duration"/> has passed; returns the runs.</summary>
    public static int Repeat(TimeSpan duration, Action work)
    {
        using var pressure = new CollectionPressure();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var runs = 0;
        while (clock.Elapsed < duration)
        {
            work();
            runs++;
        }
        pressure.Collections.Should().BePositive("the collector ran beside the work");
        return runs;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _stop.Dispose();
    }
}
