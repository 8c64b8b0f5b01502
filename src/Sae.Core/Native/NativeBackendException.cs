namespace Sae.Core.Native;

/// <summary>TorchSharp's native libraries could not be found or loaded.</summary>
public sealed class NativeBackendException : Exception
{
    /// <summary>Creates the exception with a message saying what to do and the loader's own error.</summary>
    public NativeBackendException(string message, Exception inner) : base(message, inner)
    {
    }
}
