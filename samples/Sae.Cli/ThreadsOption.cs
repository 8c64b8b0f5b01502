using System.CommandLine;
using static TorchSharp.torch;

namespace Sae.Cli;

/// <summary>
/// <c>--threads N</c>: libtorch's intra-op threads. The default (one per core) is fastest on an idle
/// machine; when other processes keep cores busy, fewer threads avoid OpenMP's waits on a descheduled
/// thread, which were seen to slow small operations tenfold.
/// </summary>
internal static class ThreadsOption
{
    /// <summary>A new <c>--threads</c> option.</summary>
    public static Option<int?> Create() => new("--threads") { Description = "libtorch threads (default: one per core; use fewer when the machine is busy)." };

    /// <summary>Applies the option's value, if given.</summary>
    /// <exception cref="ArgumentException">The value is below 1.</exception>
    public static void Apply(ParseResult parseResult, Option<int?> option)
    {
        if (parseResult.GetValue(option) is not { } threads) return;
        if (threads < 1) throw new ArgumentException($"--threads {threads}: give at least 1.");
        set_num_threads(threads);
    }
}
