using Sae.Core.LanguageModels;
using static TorchSharp.torch;

namespace Sae.Core.Tests.LanguageModels;

/// <summary>The two attention kernels against each other and against attention written out by hand.</summary>
public class CausalAttentionTests
{
    [Theory]
    [InlineData(AttentionKernel.Fused)]
    [InlineData(AttentionKernel.Explicit)]
    public void Each_kernel_equals_causal_attention_computed_by_hand(AttentionKernel kernel)
    {
        const int b = 2, h = 3, t = 5, e = 4;
        using var generator = new Generator(1, CPU);
        using var q = randn(b, h, t, e, generator: generator);
        using var k = randn(b, h, t, e, generator: generator);
        using var v = randn(b, h, t, e, generator: generator);
        using var output = CausalAttention.Compute(q, k, v, kernel);
        var (qs, ks, vs, os) = (q.data<float>().ToArray(), k.data<float>().ToArray(), v.data<float>().ToArray(), output.data<float>().ToArray());
        int At(int i, int j, int pos, int c) => ((i * h + j) * t + pos) * e + c;
        for (var i = 0; i < b; i++)
        for (var j = 0; j < h; j++)
        for (var pos = 0; pos < t; pos++)
        {
            // Position pos attends to positions 0..pos only.
            var scores = Enumerable.Range(0, pos + 1).Select(s => Enumerable.Range(0, e).Sum(c => (double)qs[At(i, j, pos, c)] * ks[At(i, j, s, c)]) / Math.Sqrt(e)).ToArray();
            var max = scores.Max();
            var weights = scores.Select(s => Math.Exp(s - max)).ToArray();
            var total = weights.Sum();
            for (var c = 0; c < e; c++)
            {
                var expected = Enumerable.Range(0, pos + 1).Sum(s => weights[s] / total * vs[At(i, j, s, c)]);
                os[At(i, j, pos, c)].Should().BeApproximately((float)expected, 1e-5f, $"batch {i}, head {j}, position {pos}, channel {c}");
            }
        }
    }

    [Fact]
    public void A_model_gives_the_same_logits_and_gradients_with_either_kernel()
    {
        var config = new GptConfig { Layers = 2, Heads = 2, ModelDimension = 16, ContextLength = 9, VocabularySize = 11 };
        using var fused = new GptModel(config, seed: 2);
        using var explicitKernel = new GptModel(config, seed: 2) { AttentionKernel = AttentionKernel.Explicit };
        fused.AttentionKernel.Should().Be(AttentionKernel.Fused, "the fused kernel is the default");
        using var tokens = randint(config.VocabularySize, [3, config.ContextLength], generator: new Generator(3));
        using var targets = randint(config.VocabularySize, [3, config.ContextLength], generator: new Generator(4));
        using var expected = fused.Loss(tokens, targets);
        using var actual = explicitKernel.Loss(tokens, targets);
        actual.item<float>().Should().BeApproximately(expected.item<float>(), 1e-5f);
        expected.backward();
        actual.backward();
        foreach (var (name, parameter) in fused.Parameters)
            explicitKernel.Parameters[name].grad!.allclose(parameter.grad!, rtol: 1e-4, atol: 1e-6).Should().BeTrue(name);
    }
}
