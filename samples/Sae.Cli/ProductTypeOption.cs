using System.CommandLine;
using Sae.Core.Training;
using static TorchSharp.torch;

namespace Sae.Cli;

/// <summary>
/// <c>--dtype float32|bfloat16|auto</c>: the element type of the matrix products of an SAE training step or of a
/// language model's forward and backward passes (bfloat16 is mixed precision: parameters, optimiser state, loss and
/// elementwise work stay float32); see <see cref="ProductPrecision"/>.
/// </summary>
internal static class ProductTypeOption
{
    /// <summary>A new <c>--dtype</c> option defaulting to <paramref name="defaultName"/>; <paramref name="more"/> is added to its description.</summary>
    public static Option<string> Create(string defaultName, string more = "")
    {
        var option = new Option<string>("--dtype")
        {
            Description = $"Matrix-product precision: {ProductPrecision.Names}. bfloat16 keeps float32 parameters, optimiser state and loss; auto is bfloat16 where the CPU has bfloat16 units, else float32.{more}",
            DefaultValueFactory = _ => defaultName,
        };
        option.AcceptOnlyFromAmong("float32", "bfloat16", "auto");
        return option;
    }

    /// <summary>The chosen product type on <paramref name="device"/>.</summary>
    public static ScalarType Get(ParseResult parseResult, Option<string> option, Device? device = null) =>
        ProductPrecision.Parse(parseResult.GetValue(option)!, device);
}
