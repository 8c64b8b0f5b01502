using Sae.Core.LanguageModels;
using static TorchSharp.torch;

namespace Sae.Core.Tests.LanguageModels;

/// <summary>The language model with its matrix products in bfloat16 (mixed precision) against the same model in float32.</summary>
public class GptMixedPrecisionTests
{
    private static readonly GptConfig Small = new() { Layers = 2, Heads = 2, ModelDimension = 32, ContextLength = 12, VocabularySize = 17 };

    private static Tensor Tokens(ulong seed) => randint(Small.VocabularySize, [4, Small.ContextLength], generator: new Generator(seed));

    private static float RelativeError(Tensor actual, Tensor expected) => (actual - expected).norm().item<float>() / expected.norm().item<float>();

    [Fact]
    public void Bfloat16_products_give_the_float32_logits_to_within_bfloat16_rounding()
    {
        using var model = new GptModel(Small, seed: 1);
        using var noGrad = no_grad();
        using var tokens = Tokens(2);
        using var expected = model.Logits(tokens);
        model.ProductType = ScalarType.BFloat16;
        using var actual = model.Logits(tokens);
        actual.dtype.Should().Be(ScalarType.Float32, "the model returns float32 whatever its products' type");
        RelativeError(actual, expected).Should().BeLessThan(0.02f).And.BeGreaterThan(0, "the products really were rounded");
        using var again = model.Logits(tokens);
        again.allclose(actual, rtol: 0, atol: 0).Should().BeTrue("the kept bfloat16 weights give the same result each pass");
        model.Parameters.Values.Should().OnlyContain(p => p.dtype == ScalarType.Float32, "the parameters stay float32");
    }

    [Fact]
    public void Bfloat16_products_give_the_float32_loss_and_gradients_to_within_bfloat16_rounding()
    {
        using var single = new GptModel(Small, seed: 3);
        using var mixed = new GptModel(Small, seed: 3) { ProductType = ScalarType.BFloat16 };
        using var tokens = Tokens(4);
        using var targets = Tokens(5);
        using var expected = single.Loss(tokens, targets);
        using var actual = mixed.Loss(tokens, targets);
        expected.backward();
        actual.backward();
        actual.item<float>().Should().BeApproximately(expected.item<float>(), 0.01f * expected.item<float>());
        foreach (var (name, parameter) in single.Parameters)
        {
            var got = mixed.Parameters[name].grad!;
            got.dtype.Should().Be(ScalarType.Float32, $"{name}'s gradient is float32, for a float32 optimiser");
            RelativeError(got, parameter.grad!).Should().BeLessThan(0.05f, name);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void In_mixed_precision_every_operation_but_the_products_reads_float32(bool training)
    {
        List<(string Operation, ScalarType Input)> Observed(ScalarType products)
        {
            using var model = new GptModel(Small, seed: 6) { ProductType = products };
            var seen = new List<(string, ScalarType)>();
            model.OperationObserver = (operation, type) => seen.Add((operation, type));
            using var tokens = Tokens(7);
            using var targets = Tokens(8);
            using var grad = training ? enable_grad() : no_grad();
            using var loss = model.Loss(tokens, targets);
            if (training) loss.backward();
            return seen;
        }
        var single = Observed(ScalarType.Float32);
        var mixed = Observed(ScalarType.BFloat16);
        mixed.Select(o => o.Operation).Should().Equal(single.Select(o => o.Operation), "the two paths run the same operations");
        mixed.Select(o => o.Operation).Should().Contain(["layer_norm", "attention", "gelu", "residual", "loss"]);
        mixed.Should().OnlyContain(o => o.Input == ScalarType.Float32, "only the products' operands are bfloat16");
    }

    [Fact]
    public void Inference_after_a_training_step_sees_the_updated_weights()
    {
        using var model = new GptModel(Small, seed: 9) { ProductType = ScalarType.BFloat16 };
        using var tokens = Tokens(10);
        using var targets = Tokens(11);
        using (no_grad()) model.Logits(tokens).Dispose(); // makes the inference copies
        using var optimizer = optim.SGD(model.Parameters.Values, 0.5);
        using (var loss = model.Loss(tokens, targets)) loss.backward();
        optimizer.step();

        using var twin = new GptModel(Small) { ProductType = ScalarType.BFloat16 };
        using var noGrad = no_grad();
        twin.LoadParameters(model.Parameters.ToDictionary(p => p.Key, p => (Tensor)p.Value));
        using var expected = twin.Logits(tokens);
        using var actual = model.Logits(tokens);
        actual.allclose(expected, rtol: 0, atol: 0).Should().BeTrue("copies made before the update were dropped");

        // Changed in place outside a training pass: stale until refreshed.
        model.Parameters["transformer.h.0.mlp.c_fc.weight"].mul_(2);
        twin.LoadParameters(model.Parameters.ToDictionary(p => p.Key, p => (Tensor)p.Value));
        using var changed = twin.Logits(tokens);
        model.RefreshProductWeights();
        using var refreshed = model.Logits(tokens);
        refreshed.allclose(changed, rtol: 0, atol: 0).Should().BeTrue();
    }

    [Fact]
    public void Mixed_precision_training_follows_the_float32_run()
    {
        var rows = 64;
        var length = Small.ContextLength + 1;
        var tokens = new long[rows * length];
        for (var i = 0; i < tokens.Length; i++) tokens[i] = (i / length + 3 * (i % length)) % Small.VocabularySize;
        var data = new TokenSequences(tokens, rows, length);
        var options = new GptTrainingOptions { Steps = 15, BatchSize = 8, LearningRate = 2e-2, WarmupSteps = 2, Seed = 12 };
        using var single = new GptModel(Small, seed: 13);
        using var mixed = new GptModel(Small, seed: 13) { ProductType = ScalarType.BFloat16 };
        var expected = GptTraining.Train(single, data, options);
        var actual = GptTraining.Train(mixed, data, options);
        // Training here is a cheap 15 steps, since bfloat16 is slow on CPUs without bfloat16 units.
        actual.Should().BeApproximately(expected, 0.03 * expected);
        actual.Should().BeLessThan(0.8 * Math.Log(Small.VocabularySize), "the mixed-precision run learns from the data too");
    }

    [Fact]
    public void Only_float32_and_bfloat16_are_product_types()
    {
        using var model = new GptModel(Small);
        var half = () => model.ProductType = ScalarType.Float16;
        half.Should().Throw<ArgumentException>().WithMessage("*float32 or bfloat16*");
    }
}
