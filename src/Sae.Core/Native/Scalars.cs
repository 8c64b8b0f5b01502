using TorchSharp;

namespace Sae.Core.Native;

/// <summary>
/// TorchSharp scalars that live for the whole process, for the numbers libtorch calls take most often.
/// </summary>
/// <remarks>
/// TorchSharp 0.107 turns a C# number into a <see cref="Scalar"/> implicitly (and does so inside methods such
/// as <c>Tensor.add(Tensor)</c>, which passes an alpha of 1), but nothing keeps that temporary alive while
/// the native call runs: the garbage collector may finalise it, which frees its native memory, while libtorch
/// still reads it. The call then fails at random with "Expected false to be true … toFloat at
/// c10/core/Scalar.h" or reads garbage (dotnet/TorchSharp#1496). Library code therefore never converts a
/// number implicitly: it passes one of these constants, or a scalar it holds in a <c>using</c> declaration
/// for the duration of the call (<c>using var alpha = value.ToScalar();</c>). Code of your own that runs
/// while collections happen (long training loops) is safest written the same way.
/// </remarks>
public static class Scalars
{
    /// <summary>The integer 0.</summary>
    public static readonly Scalar Zero = 0.ToScalar();

    /// <summary>The integer 1: the alpha of a plain addition or subtraction.</summary>
    public static readonly Scalar One = 1.ToScalar();

    /// <summary>The integer 2: squares.</summary>
    public static readonly Scalar Two = 2.ToScalar();

    /// <summary>The integer -1.</summary>
    public static readonly Scalar MinusOne = (-1).ToScalar();

    /// <summary>The boolean true: filling masks.</summary>
    public static readonly Scalar True = true.ToScalar();
}
