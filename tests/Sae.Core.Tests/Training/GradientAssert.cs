using Sae.Core.Autoencoders;

namespace Sae.Core.Tests.Training;

/// <summary>Compares hand-derived gradients with autograd's, parameter by parameter.</summary>
internal static class GradientAssert
{
    /// <summary>
    /// Each of <paramref name="manual"/> (gradients by parameter name) is within 1e-5 of the gradient
    /// autograd left in <paramref name="reference"/>'s parameter of that name, relative to its largest entry.
    /// </summary>
    public static void Match(IReadOnlyDictionary<string, TorchSharp.torch.Tensor> manual, SparseAutoencoder reference)
    {
        foreach (var (name, parameter) in reference.Parameters)
        {
            var expected = parameter.grad!;
            var difference = (manual[name] - expected).abs().max().item<float>();
            difference.Should().BeLessThanOrEqualTo(1e-5f * Math.Max(1f, expected.abs().max().item<float>()), name);
        }
    }

    /// <summary>Copies every parameter of <paramref name="source"/> into the same-named one of <paramref name="target"/>.</summary>
    public static void CopyParameters(SparseAutoencoder source, SparseAutoencoder target)
    {
        using var noGrad = TorchSharp.torch.no_grad();
        foreach (var (name, parameter) in source.Parameters) target.Parameters[name].copy_(parameter);
    }
}
