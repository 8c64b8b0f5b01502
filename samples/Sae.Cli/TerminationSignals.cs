using System.Runtime.InteropServices;

namespace Sae.Cli;

/// <summary>
/// Turns the first SIGINT (Ctrl+C) or SIGTERM into a cancellation of the running command, which then stops at
/// its next step, after writing its checkpoint, and exits with <see cref="CommandAction.Cancelled"/> (130); a
/// second signal ends the process at once, as the signal's default would.
/// </summary>
/// <remarks>
/// System.CommandLine's own handling waits two seconds for the command and then returns from <c>Main</c>
/// while the command's thread may still be inside libtorch or halfway through a checkpoint; the runtime then
/// shuts down around it (once seen as a segmentation fault after SIGTERM). So the tool turns that handling off
/// (<c>ProcessTerminationTimeout = null</c>) and waits for the command itself, however long its step takes.
/// </remarks>
internal sealed class TerminationSignals : IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly PosixSignalRegistration[] _registrations;
    private int _received;

    /// <summary>Starts listening for SIGINT and SIGTERM.</summary>
    public TerminationSignals()
    {
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal), PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal)];
    }

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token => _cancellation.Token;

    /// <summary>Whether a signal has been received.</summary>
    public bool Received => Volatile.Read(ref _received) > 0;

    private void OnSignal(PosixSignalContext context)
    {
        if (Interlocked.Increment(ref _received) > 1) return; // the second: the default action ends the process
        context.Cancel = true;
        _cancellation.Cancel();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
        _cancellation.Dispose();
    }
}
