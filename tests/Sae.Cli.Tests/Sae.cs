using System.CommandLine;

namespace Sae.Cli.Tests;

/// <summary>Runs the <c>sae</c> command in process with captured standard input, output and error.</summary>
internal static class Sae
{
    public static (int ExitCode, string Output, string Error) Run(string input, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = SaeCommand.Create(new StringReader(input)).Parse(args)
            .Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString(), error.ToString());
    }

    public static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
