using Sae.Core.Autoencoders;
using Sae.Core.Training;
using static TorchSharp.torch;

namespace Sae.Core.Tests.Training;

/// <summary>The gated trainer's hand-derived gradients against autograd on the reference loss.</summary>
public class GatedGradientTests
{
    [Theory]
    [InlineData(1.0)]
    [InlineData(0.6)]
    public void Hand_derived_gradients_equal_autograd(double p)
    {
        const double penalty = 0.3;
        using var generator = new Generator(21, CPU);
        using var x = randn(48, 12, generator: generator).mul_(2);
        using var sae = new GatedSae(12, 40, seed: 5);
        using (var noGrad = no_grad())
        {
            sae.b_dec.copy_(randn(12, generator: generator).mul_(0.1));
            sae.b_gate.copy_(randn(40, generator: generator).mul_(0.3));
            sae.b_mag.copy_(randn(40, generator: generator).mul_(0.3));
            sae.r_mag.copy_(randn(40, generator: generator).mul_(0.2));
        }
        using var trainer = new GatedTrainer(sae, penalty);
        var result = trainer.ComputeGradients(x, p, penalty, nextP: 0.5);
        var manual = sae.Parameters.ToDictionary(kv => kv.Key, kv => kv.Value.grad!.clone());

        using var reference = new GatedSae(12, 40);
        GradientAssert.CopyParameters(sae, reference);
        using var scope = NewDisposeScope();
        var (f, gate) = reference.EncodeWithGate(x);
        var xHat = reference.Decode(f);
        var xHatAux = gate.matmul(reference.W_dec.detach()) + reference.b_dec.detach();
        var reconstruction = (x - xHat).pow(2).sum(1).mean();
        var auxiliary = (x - xHatAux).pow(2).sum(1).mean();
        var sparsity = (p == 1.0 ? gate : gate.pow(p)).sum(1).mean();
        var loss = reconstruction + penalty * sparsity + auxiliary;
        loss.backward();

        result.Loss.Should().BeApproximately(loss.item<float>(), 1e-3 * Math.Max(1, loss.item<float>()));
        result.Reconstruction.Should().BeApproximately(reconstruction.item<float>(), 1e-4 * Math.Max(1, reconstruction.item<float>()));
        result.Sparsity.Should().BeApproximately(sparsity.item<float>(), 1e-4 * Math.Max(1, sparsity.item<float>()));
        result.SparsityAtNextP.Should().BeApproximately(gate.detach().pow(0.5).sum(1).mean().item<float>(), 1e-3);
        GradientAssert.Match(manual, reference);
    }
}
