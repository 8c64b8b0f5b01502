using System.CommandLine;

namespace Sae.Cli;

/// <summary>Checks of option values that the parser cannot express.</summary>
internal static class OptionValues
{
    /// <summary>The value of <paramref name="option"/>, which must be at least 1.</summary>
    /// <exception cref="ArgumentException">It is less than 1; the message names the option.</exception>
    public static int AtLeastOne(ParseResult parseResult, Option<int> option)
    {
        var value = parseResult.GetValue(option);
        return value >= 1 ? value : throw new ArgumentException($"{option.Name} must be at least 1, not {value}.");
    }
}
