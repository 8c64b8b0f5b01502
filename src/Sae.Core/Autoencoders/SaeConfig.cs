using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Sae.Core.Autoencoders;

/// <summary>
/// cfg.json beside <c>sae_weights.safetensors</c>, in SAELens's vocabulary: what is needed to rebuild
/// the SAE, and the training run that made it under <see cref="Training"/>.
/// </summary>
public sealed record SaeConfig
{
    /// <summary><c>standard</c>, <c>gated</c>, <c>topk</c> or <c>jumprelu</c>.</summary>
    [JsonPropertyName("architecture")]
    public required string Architecture { get; init; }

    /// <summary>d, the activation dimension.</summary>
    [JsonPropertyName("d_in")]
    public required int InputDimension { get; init; }

    /// <summary>F, the number of features.</summary>
    [JsonPropertyName("d_sae")]
    public required int FeatureCount { get; init; }

    /// <summary>The weights' element type, e.g. <c>float32</c>.</summary>
    [JsonPropertyName("dtype")]
    public string DType { get; init; } = "float32";

    /// <summary>The device the SAE was saved from.</summary>
    [JsonPropertyName("device")]
    public string Device { get; init; } = "cpu";

    /// <summary>Always true here: b_dec is subtracted from the input before encoding.</summary>
    [JsonPropertyName("apply_b_dec_to_input")]
    public bool ApplyDecoderBiasToInput { get; init; } = true;

    /// <summary>Input normalisation (<c>none</c>: any scaling was folded into the weights on save).</summary>
    [JsonPropertyName("normalize_activations")]
    public string NormalizeActivations { get; init; } = "none";

    /// <summary>The activation function: <c>relu</c>, or <c>topk</c> for TopK SAEs.</summary>
    [JsonPropertyName("activation_fn_str")]
    public string ActivationFunction { get; init; } = "relu";

    /// <summary>The number of active features of a TopK SAE (null otherwise).</summary>
    [JsonPropertyName("k")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? K { get; init; }

    /// <summary>The training run's own configuration (trainer, penalties, schedule, steps, seed).</summary>
    [JsonPropertyName("training")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonObject? Training { get; init; }
}
