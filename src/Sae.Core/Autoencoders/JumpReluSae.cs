using TorchSharp.Modules;
using static TorchSharp.torch;
using Sae.Core.Native;

namespace Sae.Core.Autoencoders;

/// <summary>
/// The JumpReLU SAE (SAELens's <c>jumprelu</c>): f = pre · 1[pre &gt; threshold] with
/// pre = (x − b_dec) W_enc + b_enc. A BatchTopK SAE is saved as one, its learned threshold in <c>threshold</c>.
/// </summary>
public sealed class JumpReluSae : SparseAutoencoder
{
    /// <summary>Creates a JumpReLU SAE initialised like <see cref="StandardSae"/>, with thresholds at zero.</summary>
    public JumpReluSae(int inputDimension, int featureCount, long seed = 42) : base("jumprelu", inputDimension, featureCount)
    {
        using var generator = new Generator((ulong)seed, CPU);
        AddLinearAutoencoderParameters(generator);
        AddParameter("threshold", zeros(featureCount));
    }

    /// <summary>
    /// A JumpReLU SAE initialised for BatchTopK training as the reference does: W_dec random unit rows,
    /// W_enc its transpose, zero biases, and threshold −1 (no threshold until training sets one).
    /// </summary>
    public static JumpReluSae ForBatchTopK(int inputDimension, int featureCount, long seed = 42)
    {
        var sae = new JumpReluSae(inputDimension, featureCount, seed);
        using var noGrad = no_grad();
        using var generator = new Generator((ulong)seed, CPU);
        using var directions = Initialization.UnitRows(generator, featureCount, inputDimension);
        sae.W_dec.copy_(directions);
        using var transposed = directions.t(); // held: a temporary passed to a native call can be finalised during it
        sae.W_enc.copy_(transposed);
        sae.b_enc.zero_();
        sae.threshold.fill_(Scalars.MinusOne);
        return sae;
    }

    /// <summary>b_enc [F].</summary>
    public Parameter b_enc => Get("b_enc");

    /// <summary>threshold [F]: a feature is active only above it.</summary>
    public Parameter threshold => Get("threshold");

    /// <inheritdoc />
    public override Tensor Encode(Tensor x)
    {
        using var scope = NewDisposeScope();
        var pre = Centre(x).matmul(W_enc).add_(b_enc, Scalars.One);
        return pre.relu().mul(pre.gt(threshold).to_type(pre.dtype)).MoveToOuterDisposeScope(); // not in place: autograd keeps relu's output
    }
}
