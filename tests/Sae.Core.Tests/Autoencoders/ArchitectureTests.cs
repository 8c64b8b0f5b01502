using Sae.Core.Autoencoders;
using static TorchSharp.torch;

namespace Sae.Core.Tests.Autoencoders;

public class ArchitectureTests
{
    private static void Close(Tensor actual, params float[] expected)
    {
        var values = actual.data<float>().ToArray();
        values.Should().HaveCount(expected.Length);
        for (var i = 0; i < values.Length; i++) values[i].Should().BeApproximately(expected[i], 1e-5f);
    }

    private static Tensor Matrix(float[,] values) => tensor(values);

    private static void Set(SparseAutoencoder sae, string name, Tensor value)
    {
        using var noGrad = no_grad();
        sae.Parameters[name].copy_(value);
    }

    /// <summary>d = 2, F = 3: W_enc columns pick x₁, x₂ and x₁ − x₂; W_dec rows are unit vectors.</summary>
    private static void SetSmallWeights(SparseAutoencoder sae)
    {
        Set(sae, "W_enc", Matrix(new float[,] { { 1, 0, 1 }, { 0, 1, -1 } }));
        Set(sae, "W_dec", Matrix(new float[,] { { 1, 0 }, { 0, 1 }, { 0.6f, 0.8f } }));
        Set(sae, "b_dec", tensor(new float[] { 1, 1 }));
    }

    [Fact]
    public void Standard_encodes_relu_of_centred_input_and_decodes_through_w_dec()
    {
        using var sae = new StandardSae(2, 3);
        SetSmallWeights(sae);
        Set(sae, "b_enc", tensor(new float[] { 0, -0.5f, 0 }));
        using var x = tensor(new float[,] { { 3, 2 }, { 0, 1 } });

        using var f = sae.Encode(x);
        // x − b_dec = (2, 1) → pre (2, 0.5, 1); (−1, 0) → pre (−1, −0.5, −1).
        f.data<float>().ToArray().Should().Equal(2f, 0.5f, 1f, 0f, 0f, 0f);
        using var xHat = sae.Decode(f);
        // 2·(1,0) + 0.5·(0,1) + 1·(0.6,0.8) + (1,1) = (3.6, 2.3); zero features give b_dec.
        Close(xHat, 3.6f, 2.3f, 1f, 1f);
    }

    [Fact]
    public void Gated_gates_by_the_sign_of_pi_gate_and_scales_by_exp_r_mag()
    {
        using var sae = new GatedSae(2, 3);
        SetSmallWeights(sae);
        Set(sae, "b_gate", tensor(new float[] { -2.5f, 0, 0 }));
        Set(sae, "r_mag", tensor(new float[] { 0, (float)Math.Log(2), 0 }));
        Set(sae, "b_mag", tensor(new float[] { 0, 0, -3 }));
        using var x = tensor(new float[,] { { 3, 2 } });

        var (f, gate) = sae.EncodeWithGate(x);
        using (f)
        using (gate)
        {
            // x_enc = (2, 1, 1). π_gate = (−0.5, 1, 1) → gate (0, 1, 1). π_mag = (2, 2, −2) → ReLU (2, 2, 0).
            f.data<float>().ToArray().Should().Equal(0f, 2f, 0f);
            gate.data<float>().ToArray().Should().Equal(0f, 1f, 1f);
        }
    }

    [Fact]
    public void TopK_keeps_exactly_the_k_largest_activations()
    {
        using var sae = new TopKSae(2, 3, k: 2);
        SetSmallWeights(sae);
        using var x = tensor(new float[,] { { 3, 2 }, { 1, 3 } });
        using var f = sae.Encode(x);
        // Rows: pre (2, 1, 1) keeps 2 and one of the tied 1s; pre (0, 2, −2) → ReLU (0, 2, 0) keeps 2 (and a zero).
        var values = f.data<float>().ToArray();
        values[0].Should().Be(2f);
        (values[1] + values[2]).Should().Be(1f);
        values.Skip(3).Should().Equal(0f, 2f, 0f);
    }

    [Fact]
    public void JumpRelu_passes_only_pre_activations_above_the_threshold()
    {
        using var sae = new JumpReluSae(2, 3);
        SetSmallWeights(sae);
        Set(sae, "b_enc", zeros(3));
        Set(sae, "threshold", tensor(new float[] { 1.5f, 1.5f, 0.5f }));
        using var x = tensor(new float[,] { { 3, 2 } });
        using var f = sae.Encode(x);
        f.data<float>().ToArray().Should().Equal(2f, 0f, 1f);
    }

    [Fact]
    public void Inputs_of_the_wrong_shape_or_type_are_rejected_by_name()
    {
        using var sae = new StandardSae(4, 8);
        var wrongWidth = () => sae.Encode(zeros(3, 5));
        wrongWidth.Should().Throw<ArgumentException>().WithMessage("The activations x must have last dimension 4; got shape [3, 5].");
        var integers = () => sae.Encode(zeros(new long[] { 3, 4 }, ScalarType.Int64));
        integers.Should().Throw<ArgumentException>().WithMessage("*floating point*");
        var wrongFeatures = () => sae.Decode(zeros(2, 7));
        wrongFeatures.Should().Throw<ArgumentException>().WithMessage("The feature activations f must have last dimension 8*");
    }

    [Fact]
    public void Parameters_have_saelens_names_and_shapes_and_unit_decoder_rows()
    {
        using var sae = new GatedSae(16, 64, seed: 3);
        sae.Parameters.Keys.Should().Equal("W_enc", "b_gate", "r_mag", "b_mag", "W_dec", "b_dec");
        sae.W_enc.shape.Should().Equal(16, 64);
        sae.W_dec.shape.Should().Equal(64, 16);
        using var norms = sae.W_dec.norm(1, keepdim: false, p: 2);
        norms.data<float>().ToArray().Should().OnlyContain(n => Math.Abs(n - 1) < 1e-5);
    }

    [Fact]
    public void The_same_seed_gives_the_same_initial_weights()
    {
        using var a = new StandardSae(8, 16, seed: 5);
        using var b = new StandardSae(8, 16, seed: 5);
        using var c = new StandardSae(8, 16, seed: 6);
        a.W_enc.data<float>().ToArray().Should().Equal(b.W_enc.data<float>().ToArray());
        a.W_dec.data<float>().ToArray().Should().Equal(b.W_dec.data<float>().ToArray());
        a.W_enc.data<float>().ToArray().Should().NotEqual(c.W_enc.data<float>().ToArray());
    }
}
