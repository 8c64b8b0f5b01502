using System.CommandLine;
using Sae.Core.LanguageModels;

namespace Sae.Cli;

/// <summary>
/// <c>--model</c>: a model directory, a .pt / .safetensors file, or the name of a shipped model
/// (<c>othello-gpt-small</c>; see <see cref="PretrainedModels"/>).
/// </summary>
internal static class ModelOption
{
    /// <summary>What every <c>--model</c> accepts, for its description.</summary>
    public const string Accepts = "a model directory, a .pt / .safetensors file, or a shipped model's name (othello-gpt-small, chess-gpt-small)";

    /// <summary>A new <c>--model</c> option, described by <paramref name="description"/> (which should say what <see cref="Accepts"/> says).</summary>
    public static Option<string> Create(string description, bool required = true) => new("--model") { Description = description, Required = required };

    /// <summary>The option's model as a full path: the file or directory given, or the shipped model of that name.</summary>
    /// <exception cref="UnknownModelException">Neither exists; the message lists the shipped models.</exception>
    public static string Get(ParseResult parseResult, Option<string> option) => PretrainedModels.Resolve(parseResult.GetRequiredValue(option));
}
