using static TorchSharp.torch;

namespace Sae.Core.Native;

/// <summary>
/// Host copies of tensors, made inside a dispose scope: a chain such as <c>t.detach().cpu().contiguous()</c> leaves each
/// intermediate tensor referenced by nothing while the next native call reads it, and outside a scope the garbage
/// collector may finalise (free) it during that call, which crashes the process at random (seen in Release builds).
/// </summary>
internal static class HostTensors
{
    /// <summary>A contiguous CPU tensor of <paramref name="tensor"/>'s values, outside autograd, owned by the caller.</summary>
    public static Tensor Contiguous(Tensor tensor)
    {
        using var scope = NewDisposeScope();
        return tensor.detach().cpu().contiguous().DetachFromDisposeScope();
    }

    /// <summary>A CPU copy of <paramref name="tensor"/> that shares no memory with it, outside autograd, owned by the caller.</summary>
    public static Tensor Clone(Tensor tensor)
    {
        using var scope = NewDisposeScope();
        return tensor.detach().cpu().clone().DetachFromDisposeScope();
    }
}
