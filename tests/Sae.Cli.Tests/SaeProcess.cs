using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Sae.Cli.Tests;

/// <summary>The <c>sae</c> tool as a child process (the built sae.dll beside the tests), to be signalled or killed.</summary>
internal sealed class SaeProcess : IDisposable
{
    /// <summary>SIGINT, SIGKILL and SIGTERM.</summary>
    public const int SigInt = 2, SigKill = 9, SigTerm = 15;

    private readonly Process _process;
    private readonly StringBuilder _error = new();
    private readonly ManualResetEventSlim _reported = new();

    private SaeProcess(string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "sae.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        _process = Process.Start(start)!;
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_error) _error.AppendLine(e.Data);
            _reported.Set();
        };
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
    }

    /// <summary>
    /// Whether this process ignores SIGINT, as a process started in the background by a non-interactive shell
    /// does (or under nohup). A child then starts with SIGINT ignored too, and no program may take it back, so a
    /// SIGINT sent to it does nothing: tests send SIGTERM instead.
    /// </summary>
    public static bool SigIntIgnored { get; } = File.ReadLines("/proc/self/status")
        .Where(l => l.StartsWith("SigIgn:", StringComparison.Ordinal))
        .Select(l => (Convert.ToUInt64(l["SigIgn:".Length..].Trim(), 16) & (1UL << (SigInt - 1))) != 0)
        .FirstOrDefault();

    /// <summary>Starts <c>sae</c> with <paramref name="args"/>.</summary>
    public static SaeProcess Start(params string[] args) => new(args);

    /// <summary>Waits until the command has written its first line to standard error (it has started its work).</summary>
    public bool WaitUntilReported(TimeSpan timeout) => _reported.Wait(timeout);

    /// <summary>Whether the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Sends <paramref name="signal"/> to the process.</summary>
    public void Signal(int signal) => kill(_process.Id, signal).Should().Be(0, $"signal {signal} was sent");

    /// <summary>Waits for the end and returns the exit code, or null on timeout.</summary>
    public int? WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout)) return null;
        _process.WaitForExit(); // the output readers finish
        return _process.ExitCode;
    }

    /// <summary>What it wrote to standard error so far.</summary>
    public string Error
    {
        get { lock (_error) return _error.ToString(); }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
        _reported.Dispose();
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
