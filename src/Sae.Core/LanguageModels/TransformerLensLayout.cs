using static TorchSharp.torch;

namespace Sae.Core.LanguageModels;

/// <summary>
/// Maps a TransformerLens state dict — the layout of the widely used OthelloGPT checkpoint — onto
/// nanoGPT's names: <c>embed.W_E</c> → wte; <c>pos_embed.W_pos</c> → wpe; <c>blocks.{i}.ln1.w/b</c> → ln_1;
/// <c>attn.W_Q/W_K/W_V</c> [heads, d, d_head] → the q, k, v row blocks of <c>c_attn.weight</c> (row
/// h·d_head + j of q is W_Q[h, :, j]); <c>attn.b_Q/b_K/b_V</c> [heads, d_head] → <c>c_attn.bias</c>;
/// <c>attn.W_O</c> [heads, d_head, d] → <c>c_proj.weight</c> [d, d] (column h·d_head + j is W_O[h, j, :]);
/// <c>mlp.W_in</c> [d, d_mlp] and <c>W_out</c> [d_mlp, d] → <c>c_fc</c>, <c>c_proj</c> transposed;
/// <c>ln_final</c> → ln_f; <c>unembed.W_U</c> [d, vocab] and <c>b_U</c> → an untied <c>lm_head</c> with a bias.
/// Buffers (<c>attn.mask</c>, <c>attn.IGNORE</c>) are dropped.
/// </summary>
internal static class TransformerLensLayout
{
    /// <summary>Whether <paramref name="state"/> is in TransformerLens's layout.</summary>
    public static bool Matches(IReadOnlyDictionary<string, Tensor> state) => state.ContainsKey("embed.W_E");

    /// <summary>The nanoGPT-named tensors (new tensors, owned by the caller's dispose scope) and the configuration they imply.</summary>
    public static (Dictionary<string, Tensor> State, GptConfig Config) Convert(IReadOnlyDictionary<string, Tensor> state, string path)
    {
        Tensor Get(string name) => state.TryGetValue(name, out var t) ? t
            : throw new InvalidModelFileException(path, $"a TransformerLens state dict needs '{name}'");
        var wE = Get("embed.W_E");
        var layers = 0;
        while (state.ContainsKey($"blocks.{layers}.attn.W_Q")) layers++;
        if (layers == 0) throw new InvalidModelFileException(path, "the TransformerLens state dict has no blocks.0.attn.W_Q");
        var wQ0 = Get("blocks.0.attn.W_Q");
        if (wE.dim() != 2 || wQ0.dim() != 3)
            throw new InvalidModelFileException(path, $"embed.W_E is [{string.Join(", ", wE.shape)}] and blocks.0.attn.W_Q [{string.Join(", ", wQ0.shape)}]; expected [vocab, d] and [heads, d, d_head]");
        var config = new GptConfig
        {
            Layers = layers,
            Heads = (int)wQ0.shape[0],
            ModelDimension = (int)wE.shape[1],
            VocabularySize = (int)wE.shape[0],
            ContextLength = (int)Get("pos_embed.W_pos").shape[0],
            MlpDimension = (int)Get("blocks.0.mlp.W_in").shape[1],
            Bias = true,
            TiedEmbeddings = false,
            UnembeddingBias = true,
        };
        var d = config.ModelDimension;
        var result = new Dictionary<string, Tensor>
        {
            ["transformer.wte.weight"] = wE,
            ["transformer.wpe.weight"] = Get("pos_embed.W_pos"),
            ["transformer.ln_f.weight"] = Get("ln_final.w"),
            ["transformer.ln_f.bias"] = Get("ln_final.b"),
            ["lm_head.weight"] = Get("unembed.W_U").t(),
            ["lm_head.bias"] = Get("unembed.b_U"),
        };
        Tensor Rows(string name) => Get(name).permute(0, 2, 1).reshape(-1, d);
        for (var i = 0; i < layers; i++)
        {
            var b = $"blocks.{i}.";
            var h = $"transformer.h.{i}.";
            result[h + "ln_1.weight"] = Get(b + "ln1.w");
            result[h + "ln_1.bias"] = Get(b + "ln1.b");
            result[h + "ln_2.weight"] = Get(b + "ln2.w");
            result[h + "ln_2.bias"] = Get(b + "ln2.b");
            result[h + "attn.c_attn.weight"] = cat([Rows(b + "attn.W_Q"), Rows(b + "attn.W_K"), Rows(b + "attn.W_V")], 0);
            result[h + "attn.c_attn.bias"] = cat([Get(b + "attn.b_Q").reshape(-1), Get(b + "attn.b_K").reshape(-1), Get(b + "attn.b_V").reshape(-1)], 0);
            result[h + "attn.c_proj.weight"] = Get(b + "attn.W_O").reshape(-1, d).t();
            result[h + "attn.c_proj.bias"] = Get(b + "attn.b_O");
            result[h + "mlp.c_fc.weight"] = Get(b + "mlp.W_in").t();
            result[h + "mlp.c_fc.bias"] = Get(b + "mlp.b_in");
            result[h + "mlp.c_proj.weight"] = Get(b + "mlp.W_out").t();
            result[h + "mlp.c_proj.bias"] = Get(b + "mlp.b_out");
        }
        return (result, config);
    }
}
