using System.CommandLine;
using Sae.Core.Native;
using static TorchSharp.torch;

namespace Sae.Cli;

/// <summary>
/// <c>--device cpu|cuda|cuda:N|auto</c>: where models and SAEs are created or loaded; everything
/// else follows them. A GPU needs the tool built against a CUDA libtorch package (docs/gpu.md).
/// </summary>
internal static class DeviceOption
{
    /// <summary>A new <c>--device</c> option (default cpu).</summary>
    public static Option<string> Create() => new("--device")
    {
        Description = $"Where models and SAEs run: {ComputeDevice.Names} (a GPU needs a CUDA libtorch build, see docs/gpu.md).",
        DefaultValueFactory = _ => "cpu",
    };

    /// <summary>The chosen device.</summary>
    /// <exception cref="ArgumentException">An unknown device, or a GPU this process cannot use.</exception>
    public static Device Get(ParseResult parseResult, Option<string> option) => ComputeDevice.Parse(parseResult.GetValue(option)!);
}
