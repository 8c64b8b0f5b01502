using System.CommandLine;

namespace Sae.Cli;

/// <summary>
/// Runs a command's work and turns the library's specific exceptions into one line on standard
/// error and exit code 2, and cancellation (Ctrl+C) into exit code 130, instead of a stack trace.
/// </summary>
internal static class CommandAction
{
    /// <summary>Exit code for bad input: a malformed or missing file, an invalid value.</summary>
    public const int BadInput = 2;

    /// <summary>Exit code after Ctrl+C, as shells report SIGINT.</summary>
    public const int Cancelled = 130;

    /// <summary>Sets <paramref name="work"/> as <paramref name="command"/>'s action.</summary>
    public static void Set(Command command, Func<ParseResult, CancellationToken, int> work) =>
        command.SetAction((parseResult, cancellationToken) => Task.Run(() => Run(parseResult, cancellationToken, work), CancellationToken.None));

    private static int Run(ParseResult parseResult, CancellationToken cancellationToken, Func<ParseResult, CancellationToken, int> work)
    {
        var error = parseResult.InvocationConfiguration.Error;
        try
        {
            return work(parseResult, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            error.WriteLine("sae: cancelled");
            return Cancelled;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or FormatException or ArgumentException or UnauthorizedAccessException or KeyNotFoundException
            or Sae.Core.Training.NonFiniteTrainingException or Sae.Core.Activations.NonFiniteActivationException or Sae.Metrics.Slurm.SlurmException)
        {
            error.WriteLine($"sae: error: {e.Message}");
            return BadInput;
        }
    }
}
