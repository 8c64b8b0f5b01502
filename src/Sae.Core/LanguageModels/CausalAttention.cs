using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Sae.Core.LanguageModels;

/// <summary>How causal self-attention is computed: two routes to the same result.</summary>
public enum AttentionKernel
{
    /// <summary>libtorch's fused <c>scaled_dot_product_attention</c> with its causal flag.</summary>
    Fused,

    /// <summary>Scores q·kᵀ/√d_head as one batched matrix product, the future masked out, softmax, then one product with v.</summary>
    Explicit,
}

/// <summary>
/// Causal self-attention of queries, keys and values [B, heads, T, d_head]: softmax(q·kᵀ/√d_head + causal mask)·v,
/// by either <see cref="AttentionKernel"/>. The fused kernel was the faster on the CPUs measured, at the contexts of
/// Othello (59) and chess (256) models (docs/benchmarks.md), and is the default; <c>sae bench ops</c> times both, so
/// that another machine can be checked.
/// </summary>
public static class CausalAttention
{
    /// <summary>The attention output [B, heads, T, d_head] of <paramref name="q"/>, <paramref name="k"/> and <paramref name="v"/> by <paramref name="kernel"/>.</summary>
    public static Tensor Compute(Tensor q, Tensor k, Tensor v, AttentionKernel kernel) => kernel switch
    {
        AttentionKernel.Fused => F.scaled_dot_product_attention(q, k, v, null, 0.0, true),
        _ => Explicit(q, k, v),
    };

    private static Tensor Explicit(Tensor q, Tensor k, Tensor v)
    {
        using var scope = NewDisposeScope();
        var t = q.shape[2];
        using var scale = (1.0 / Math.Sqrt(q.shape[3])).ToScalar();
        using var minusInfinity = double.NegativeInfinity.ToScalar();
        var scores = q.matmul(k.transpose(-2, -1)).mul_(scale);
        var future = ones(t, t, ScalarType.Bool, q.device).triu_(1);
        scores.masked_fill_(future, minusInfinity);
        return F.softmax(scores, -1).matmul(v).MoveToOuterDisposeScope();
    }
}
