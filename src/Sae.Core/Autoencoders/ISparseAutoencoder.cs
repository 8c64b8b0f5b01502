using TorchSharp;
using static TorchSharp.torch;

namespace Sae.Core.Autoencoders;

/// <summary>
/// A sparse autoencoder: encodes activations x ∈ R^d into F feature activations f and decodes them
/// back to a reconstruction x̂. Parameters carry SAELens's names and layout (<c>W_enc</c> [d, F],
/// <c>b_enc</c> [F], <c>W_dec</c> [F, d], <c>b_dec</c> [d], plus each architecture's extras), so one
/// feature's decoder direction is a row of <c>W_dec</c>.
/// </summary>
public interface ISparseAutoencoder : IDisposable
{
    /// <summary>The architecture's name in cfg.json: <c>standard</c>, <c>gated</c>, <c>topk</c> or <c>jumprelu</c>.</summary>
    string Architecture { get; }

    /// <summary>d, the dimension of the activations (SAELens's <c>d_in</c>).</summary>
    int InputDimension { get; }

    /// <summary>F, the number of features (SAELens's <c>d_sae</c>).</summary>
    int FeatureCount { get; }

    /// <summary>Where the parameters live.</summary>
    Device Device { get; }

    /// <summary>The parameters' element type.</summary>
    ScalarType DType { get; }

    /// <summary>The parameters by SAELens name, in a fixed order.</summary>
    IReadOnlyDictionary<string, TorchSharp.Modules.Parameter> Parameters { get; }

    /// <summary>Feature activations f [.., F] of activations x [.., d].</summary>
    /// <exception cref="ArgumentException">x's last dimension is not d, or it is not a floating-point tensor.</exception>
    Tensor Encode(Tensor x);

    /// <summary>The reconstruction x̂ [.., d] of feature activations f [.., F].</summary>
    /// <exception cref="ArgumentException">f's last dimension is not F.</exception>
    Tensor Decode(Tensor f);

    /// <summary>The reconstruction of x: <c>Decode(Encode(x))</c>.</summary>
    Tensor Reconstruct(Tensor x);
}
