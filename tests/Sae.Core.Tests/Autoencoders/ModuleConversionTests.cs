using Sae.Core.Autoencoders;
using TorchSharp;
using static TorchSharp.torch;

namespace Sae.Core.Tests.Autoencoders;

public class ModuleConversionTests
{
    [Fact]
    public void To_converts_and_moves_an_sae_like_any_module_and_the_named_parameters_follow()
    {
        using var sae = new TopKSae(6, 12, k: 3, seed: 5);
        using var x = randn(4, 6, generator: new Generator(2, CPU));
        using var expected = sae.Encode(x);

        sae.to(ScalarType.Float64).Should().BeSameAs(sae);
        sae.DType.Should().Be(ScalarType.Float64);
        sae.Parameters.Values.Should().OnlyContain(p => p.dtype == ScalarType.Float64);
        sae.parameters().Should().OnlyContain(p => p.dtype == ScalarType.Float64, "the module's registration follows the named parameters");
        sae.parameters().Should().HaveCount(4);
        using (var x64 = x.to(ScalarType.Float64))
        using (var features = sae.Encode(x64))
            features.allclose(expected.to(ScalarType.Float64), rtol: 1e-5, atol: 1e-6).Should().BeTrue();

        sae.to(CPU, ScalarType.Float32);
        sae.to(DeviceType.CPU);
        sae.DType.Should().Be(ScalarType.Float32);
        sae.Device.type.Should().Be(DeviceType.CPU);
        using var back = sae.Encode(x);
        back.allclose(expected, rtol: 0, atol: 0).Should().BeTrue("float32 → float64 → float32 is exact");
        sae.W_enc.requires_grad.Should().BeTrue();
    }
}
