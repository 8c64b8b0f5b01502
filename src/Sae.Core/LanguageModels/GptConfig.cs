using System.Text.Json.Serialization;

namespace Sae.Core.LanguageModels;

/// <summary>
/// The shape of a <see cref="GptModel"/>, named as nanoGPT's <c>model_args</c> are (so that a
/// nanoGPT checkpoint's arguments read straight into it), plus the two choices nanoGPT fixes: the
/// MLP width (nanoGPT: 4·n_embd) and whether the unembedding is tied to the token embedding
/// (nanoGPT: always; TransformerLens's OthelloGPT: no, with an unembedding bias).
/// </summary>
public sealed record GptConfig
{
    /// <summary>Number of transformer blocks.</summary>
    [JsonPropertyName("n_layer")] public int Layers { get; init; } = 8;

    /// <summary>Attention heads per block; must divide <see cref="ModelDimension"/>.</summary>
    [JsonPropertyName("n_head")] public int Heads { get; init; } = 8;

    /// <summary>Width of the residual stream, d_model.</summary>
    [JsonPropertyName("n_embd")] public int ModelDimension { get; init; } = 512;

    /// <summary>Longest sequence the position embedding covers.</summary>
    [JsonPropertyName("block_size")] public int ContextLength { get; init; } = 59;

    /// <summary>Number of tokens.</summary>
    [JsonPropertyName("vocab_size")] public int VocabularySize { get; init; } = 61;

    /// <summary>Whether linear layers and layer norms have biases (nanoGPT's <c>bias</c>).</summary>
    [JsonPropertyName("bias")] public bool Bias { get; init; } = true;

    /// <summary>Hidden width of each MLP; 0 means nanoGPT's 4·<see cref="ModelDimension"/>.</summary>
    [JsonPropertyName("d_mlp")] public int MlpDimension { get; init; }

    /// <summary>Whether <c>lm_head.weight</c> is <c>transformer.wte.weight</c> (nanoGPT's weight tying).</summary>
    [JsonPropertyName("tied_embeddings")] public bool TiedEmbeddings { get; init; } = true;

    /// <summary>Whether the unembedding has a bias <c>lm_head.bias</c> (TransformerLens's b_U).</summary>
    [JsonPropertyName("lm_head_bias")] public bool UnembeddingBias { get; init; }

    /// <summary>The MLP width in effect.</summary>
    [JsonIgnore] public int EffectiveMlpDimension => MlpDimension > 0 ? MlpDimension : 4 * ModelDimension;

    /// <summary>Width of one attention head.</summary>
    [JsonIgnore] public int HeadDimension => ModelDimension / Heads;

    /// <summary>OthelloGPT's shape (docs/reference.md §1): 8 layers, d_model 512, 8 heads, d_mlp 2048, 61 tokens, context 59.</summary>
    public static GptConfig OthelloGpt => new();

    /// <summary>ChessGPT's shape (docs/reference.md §1): 8 layers, d_model 512, 8 heads, 32 characters, block size 1023, no biases.</summary>
    public static GptConfig ChessGpt => new() { VocabularySize = 32, ContextLength = 1023, Bias = false };

    /// <summary>Throws unless every size is positive and the heads divide the width.</summary>
    /// <exception cref="ArgumentException">A size is not positive, or <see cref="Heads"/> does not divide <see cref="ModelDimension"/>.</exception>
    public void Validate()
    {
        if (Layers < 1 || Heads < 1 || ModelDimension < 1 || ContextLength < 1 || VocabularySize < 1 || MlpDimension < 0)
            throw new ArgumentException($"A model needs positive sizes; got n_layer {Layers}, n_head {Heads}, n_embd {ModelDimension}, block_size {ContextLength}, vocab_size {VocabularySize}, d_mlp {MlpDimension}.");
        if (ModelDimension % Heads != 0)
            throw new ArgumentException($"n_head {Heads} does not divide n_embd {ModelDimension}.");
        if (TiedEmbeddings && UnembeddingBias)
            throw new ArgumentException("A tied unembedding has no bias (lm_head_bias needs tied_embeddings false).");
    }
}
