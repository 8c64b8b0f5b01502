using Sae.Cli;

return await SaeCommand.Create(Console.In).Parse(args).InvokeAsync();
