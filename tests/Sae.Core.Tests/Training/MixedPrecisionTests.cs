using Sae.Core.Autoencoders;
using Sae.Core.Training;
using static TorchSharp.torch;

namespace Sae.Core.Tests.Training;

/// <summary>Matrix products in bfloat16 (mixed precision) against the same step in float32.</summary>
public class MixedPrecisionTests
{
    public static TheoryData<string> Architectures => ["standard", "gated", "jumprelu", "topk"];

    // JumpReLU's threshold gradient counts pre-activations within ε/2 of the threshold: with a wide window, rounding
    // moves few of them across its edge, so the two gradients can be compared (with ε = 0.001 they could not).
    private static SaeTrainer Make(string architecture, ScalarType products) => architecture == "jumprelu"
        ? new JumpReluTrainer(new JumpReluSae(16, 48, seed: 3), 0.01, bandwidth: 1.0) { ProductType = products }
        : SaeTrainers.Create(architecture, 16, 48, architecture switch { "topk" => 6, "gated" => 0.5, "jumprelu" => 0.01, _ => 0.05 },
            pAnneal: false, steps: 100, annealStart: 50, learningRate: null, warmup: 0, seed: 3, productType: products);

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Bfloat16_products_give_the_float32_gradients_to_within_bfloat16_rounding(string architecture)
    {
        using var generator = new Generator(5, CPU);
        using var x = randn(128, 16, generator: generator).mul_(3);
        using var single = Make(architecture, ScalarType.Float32);
        using var mixed = Make(architecture, ScalarType.BFloat16);
        mixed.ProductType.Should().Be(ScalarType.BFloat16);
        if (architecture == "jumprelu")
            using (no_grad())
                foreach (var t in new[] { single, mixed }) ((JumpReluSae)t.Sae).threshold.fill_(0.5);

        var expected = single.ComputeGradients(x, 1.0, single.Penalty, null);
        var actual = mixed.ComputeGradients(x, 1.0, mixed.Penalty, null);

        actual.Reconstruction.Should().BeApproximately(expected.Reconstruction, 0.02 * expected.Reconstruction);
        foreach (var (name, parameter) in single.Sae.Parameters)
        {
            var want = parameter.grad!;
            var got = mixed.Sae.Parameters[name].grad!;
            got.dtype.Should().Be(ScalarType.Float32, "gradients and the optimiser stay float32");
            var scale = want.norm().item<float>();
            if (scale == 0) continue;
            (got - want).norm().item<float>().Should().BeLessThan(0.05f * scale, $"{architecture} {name}");
        }
        var weight = architecture == "topk" ? "W_enc" : "W_dec";
        (mixed.Sae.Parameters[weight].grad! - single.Sae.Parameters[weight].grad!).abs().max().item<float>()
            .Should().BeGreaterThan(0, "the products really were rounded to bfloat16");
    }

    [Theory]
    [InlineData("standard", 6, 10)]
    [InlineData("gated", 8, 14)]
    [InlineData("jumprelu", 6, 10)]
    public void A_bfloat16_step_casts_each_product_operand_once(string architecture, int operands, int productOperandUses)
    {
        // Standard: x − b_dec, W_enc, f, W_dec, ∂L/∂x̂ and ∂L/∂pre feed its five products (ten operand uses); gated's
        // seven products read eight distinct tensors; JumpReLU's five read six.
        using var generator = new Generator(6, CPU);
        using var trainer = Make(architecture, ScalarType.BFloat16);
        productOperandUses.Should().BeGreaterThan(operands);
        for (var step = 0; step < 3; step++)
        {
            using var x = randn(64, 16, generator: generator);
            var before = trainer.ProductOperands.Casts;
            trainer.Step(x, step);
            (trainer.ProductOperands.Casts - before).Should().Be(operands, $"step {step} casts each distinct operand once");
        }
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Kept_bfloat16_operands_never_carry_over_into_the_next_step(string architecture)
    {
        using var generator = new Generator(8, CPU);
        using var first = randn(64, 16, generator: generator);
        using var second = randn(64, 16, generator: generator).mul_(2);
        using var continued = Make(architecture, ScalarType.BFloat16);
        using var fresh = Make(architecture, ScalarType.BFloat16);
        continued.ComputeGradients(first, 1.0, continued.Penalty, null);
        var expected = fresh.ComputeGradients(second, 1.0, fresh.Penalty, null);
        var actual = continued.ComputeGradients(second, 1.0, continued.Penalty, null);
        actual.Loss.Should().Be(expected.Loss);
        foreach (var (name, parameter) in fresh.Sae.Parameters)
            continued.Sae.Parameters[name].grad!.allclose(parameter.grad!, rtol: 0, atol: 0).Should().BeTrue(name);
    }

    [Fact]
    public void Only_float32_and_bfloat16_are_product_types_and_names_parse()
    {
        var half = () => new StandardTrainer(new StandardSae(4, 8), 0.1) { ProductType = ScalarType.Float16 };
        half.Should().Throw<ArgumentException>().WithMessage("*float32 or bfloat16*");
        ProductPrecision.Parse("bfloat16").Should().Be(ScalarType.BFloat16);
        ProductPrecision.Parse("Float32").Should().Be(ScalarType.Float32);
        ProductPrecision.Parse("auto").Should().Be(ProductPrecision.CpuHasBFloat16Units ? ScalarType.BFloat16 : ScalarType.Float32);
        var bad = () => ProductPrecision.Parse("fp8");
        bad.Should().Throw<ArgumentException>().WithMessage("*'fp8'*float32, bfloat16, auto*");
    }
}
