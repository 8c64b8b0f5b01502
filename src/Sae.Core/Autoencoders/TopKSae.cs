using TorchSharp.Modules;
using static TorchSharp.torch;
using Sae.Core.Native;

namespace Sae.Core.Autoencoders;

/// <summary>
/// The TopK SAE: of the pre-activations ReLU((x − b_dec) W_enc + b_enc) only the <see cref="K"/>
/// largest per row are kept. W_enc starts as the transpose of W_dec's random unit rows, the biases at zero.
/// </summary>
public sealed class TopKSae : SparseAutoencoder
{
    /// <summary>Creates a TopK SAE keeping <paramref name="k"/> of F = <paramref name="featureCount"/> features.</summary>
    public TopKSae(int inputDimension, int featureCount, int k, long seed = 42) : base("topk", inputDimension, featureCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(k, featureCount);
        K = k;
        using var generator = new Generator((ulong)seed, CPU);
        using var directions = Initialization.UnitRows(generator, featureCount, inputDimension);
        using (var transposed = directions.t()) // held: a temporary passed to a native call can be finalised during it
            AddParameter("W_enc", transposed.contiguous());
        AddParameter("b_enc", zeros(featureCount));
        AddParameter("W_dec", directions.clone());
        AddParameter("b_dec", zeros(inputDimension));
    }

    /// <summary>How many features are active per input.</summary>
    public int K { get; }

    /// <summary>b_enc [F].</summary>
    public Parameter b_enc => Get("b_enc");

    /// <inheritdoc />
    public override Tensor Encode(Tensor x)
    {
        using var scope = NewDisposeScope();
        var pre = Centre(x).matmul(W_enc).add_(b_enc, Scalars.One).relu_();
        var (values, indices) = pre.topk(K, dim: -1);
        return zeros_like(pre).scatter_(-1, indices, values).MoveToOuterDisposeScope();
    }
}
