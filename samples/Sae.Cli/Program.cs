using System.CommandLine;
using Sae.Cli;

using var termination = new TerminationSignals();
var exitCode = await SaeCommand.Create(Console.In).Parse(args)
    .InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, termination.Token);
// A command that was signalled reports it, even one that had just finished its last step when the signal came.
return termination.Received && exitCode != CommandAction.BadInput ? CommandAction.Cancelled : exitCode;
