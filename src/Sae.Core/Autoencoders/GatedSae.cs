using TorchSharp.Modules;
using static TorchSharp.torch;
using Sae.Core.Native;

namespace Sae.Core.Autoencoders;

/// <summary>
/// The gated SAE of docs/reference.md §3: x_enc = (x − b_dec) W_enc; π_gate = x_enc + b_gate;
/// π_mag = exp(r_mag) ⊙ x_enc + b_mag; f = 1[π_gate &gt; 0] · ReLU(π_mag). Parameters W_enc, b_gate,
/// r_mag, b_mag, W_dec, b_dec (SAELens's names); r_mag and the biases start at zero, W_dec with random
/// unit rows, W_enc uniform in ±1/√d (dictionary_learning's <c>GatedAutoEncoder</c>).
/// </summary>
public sealed class GatedSae : SparseAutoencoder
{
    /// <summary>Creates a gated SAE with d = <paramref name="inputDimension"/> and F = <paramref name="featureCount"/>, initialised from <paramref name="seed"/>.</summary>
    public GatedSae(int inputDimension, int featureCount, long seed = 42) : base("gated", inputDimension, featureCount)
    {
        using var generator = new Generator((ulong)seed, CPU);
        AddParameter("W_enc", Initialization.UniformFanIn(generator, inputDimension, inputDimension, featureCount));
        AddParameter("b_gate", zeros(featureCount));
        AddParameter("r_mag", zeros(featureCount));
        AddParameter("b_mag", zeros(featureCount));
        AddParameter("W_dec", Initialization.UnitRows(generator, featureCount, inputDimension));
        AddParameter("b_dec", zeros(inputDimension));
    }

    /// <summary>b_gate [F], the gate's bias.</summary>
    public Parameter b_gate => Get("b_gate");

    /// <summary>r_mag [F], the log-scale of the magnitude path relative to the gate.</summary>
    public Parameter r_mag => Get("r_mag");

    /// <summary>b_mag [F], the magnitude path's bias.</summary>
    public Parameter b_mag => Get("b_mag");

    /// <summary>The features f and ReLU(π_gate), which the gated loss penalises and decodes through a detached decoder.</summary>
    public (Tensor Features, Tensor GateActivations) EncodeWithGate(Tensor x)
    {
        using var scope = NewDisposeScope();
        var xEnc = Centre(x).matmul(W_enc);
        var piGate = xEnc.add(b_gate, Scalars.One);
        var piMag = (r_mag.exp() * xEnc).add_(b_mag, Scalars.One);
        var features = piGate.gt(Scalars.Zero).to_type(piMag.dtype).mul_(piMag.relu());
        return (features.MoveToOuterDisposeScope(), piGate.relu().MoveToOuterDisposeScope());
    }

    /// <inheritdoc />
    public override Tensor Encode(Tensor x)
    {
        var (features, gate) = EncodeWithGate(x);
        gate.Dispose();
        return features;
    }
}
