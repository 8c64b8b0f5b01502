using TorchSharp.Modules;
using static TorchSharp.torch;
using Sae.Core.Native;

namespace Sae.Core.Autoencoders;

/// <summary>
/// The standard (ReLU) SAE of docs/reference.md §3: f = ReLU((x − b_dec) W_enc + b_enc),
/// x̂ = f W_dec + b_dec, with unit-norm rows of W_dec under the constrained recipe. Initialised as
/// dictionary_learning's <c>AutoEncoder</c>: encoder uniform in ±1/√d, decoder random unit rows,
/// b_dec zero.
/// </summary>
public sealed class StandardSae : SparseAutoencoder
{
    /// <summary>Creates an SAE with d = <paramref name="inputDimension"/> and F = <paramref name="featureCount"/>, initialised from <paramref name="seed"/>.</summary>
    public StandardSae(int inputDimension, int featureCount, long seed = 42) : base("standard", inputDimension, featureCount)
    {
        using var generator = new Generator((ulong)seed, CPU);
        AddLinearAutoencoderParameters(generator);
    }

    /// <summary>b_enc [F].</summary>
    public Parameter b_enc => Get("b_enc");

    /// <summary>The pre-activations (x − b_dec) W_enc + b_enc [.., F].</summary>
    public Tensor PreActivations(Tensor x)
    {
        using var centred = Centre(x);
        return centred.matmul(W_enc).add_(b_enc, Scalars.One);
    }

    /// <inheritdoc />
    public override Tensor Encode(Tensor x)
    {
        using var pre = PreActivations(x);
        return pre.relu();
    }
}
