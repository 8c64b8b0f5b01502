using Sae.Core.Autoencoders;
using Sae.Core.Activations;
using System.Collections;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sae.Core.IO;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Sae.Core.LanguageModels;

/// <summary>
/// Saves and loads <see cref="GptModel"/>s. Saved: a directory with <c>model.safetensors</c> (nanoGPT
/// names; a tied <c>lm_head.weight</c> is not stored twice) and <c>config.json</c> (<see cref="GptConfig"/>
/// plus, optionally, how it was trained). Loaded: such a directory; a <c>.safetensors</c> file (its
/// configuration from a <c>config.json</c> beside it, or inferred from the shapes); a <c>.pt</c> file
/// that is a nanoGPT training checkpoint (<c>model</c> and <c>model_args</c>; the <c>_orig_mod.</c>
/// prefix torch.compile leaves is removed), a plain nanoGPT state dict, or a TransformerLens state
/// dict (the published OthelloGPT's layout, mapped by <see cref="TransformerLensLayout"/>).
/// </summary>
public static class GptFiles
{
    /// <summary>The weights' file name in a model directory.</summary>
    public const string WeightsFileName = "model.safetensors";

    /// <summary>The configuration's file name in a model directory.</summary>
    public const string ConfigFileName = "config.json";

    private const string CompiledPrefix = "_orig_mod.";
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    /// <summary>Writes <paramref name="model"/> into <paramref name="directory"/> (created if needed), weights first, each file atomically.</summary>
    /// <exception cref="ArgumentException">A weight holds NaN or an infinity: nothing is written.</exception>
    public static void Save(GptModel model, string directory, JsonObject? training = null)
    {
        if (FiniteValues.FirstNonFiniteWeight(model.Parameters) is { } bad)
            throw new ArgumentException($"{directory}: the model's {bad.Name} holds {bad.Value}; a model with NaN or infinite weights is not saved.", nameof(model));
        Directory.CreateDirectory(directory);
        var tensors = model.Parameters.ToDictionary(p => p.Key, p => Native.HostTensors.Contiguous(p.Value));
        try
        {
            AtomicFile.Write(Path.Combine(directory, WeightsFileName), temp => Safetensors.SaveStateDict(temp, tensors));
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
        var config = JsonSerializer.SerializeToNode(model.Config, JsonOptions)!.AsObject();
        if (training is not null) config["training"] = training.DeepClone();
        AtomicFile.WriteAllText(Path.Combine(directory, ConfigFileName), config.ToJsonString(JsonOptions));
    }

    /// <summary>Reads the configuration of a model directory.</summary>
    /// <exception cref="InvalidModelFileException">config.json is missing, not JSON, or invalid.</exception>
    public static GptConfig ReadConfig(string directory) => ReadConfigFile(Path.Combine(directory, ConfigFileName));

    /// <summary>
    /// Loads the model at <paramref name="path"/> (a directory, a .safetensors file or a .pt file, or the
    /// name of a shipped model such as <c>othello-gpt-small</c>: see <see cref="PretrainedModels"/>) onto
    /// <paramref name="device"/> (CPU by default). <paramref name="heads"/> is needed only where no
    /// configuration says it (a bare state dict); otherwise d_model / 64 is assumed, as in OthelloGPT and ChessGPT.
    /// </summary>
    /// <exception cref="InvalidModelFileException">The file is missing, truncated, foreign, or its shapes disagree with its configuration.</exception>
    /// <exception cref="UnknownModelException">Nothing exists at <paramref name="path"/>, which is a bare name (no folder, no extension) that is not shipped.</exception>
    public static GptModel Load(string path, Device? device = null, int? heads = null)
    {
        if (!File.Exists(path) && !Directory.Exists(path) && IsBareName(path)) path = PretrainedModels.Path(path);
        GptConfig? config = null;
        string weights;
        if (Directory.Exists(path))
        {
            config = ReadConfig(path);
            weights = Path.Combine(path, WeightsFileName);
        }
        else
        {
            weights = path;
            var beside = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, ConfigFileName);
            if (path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase) && File.Exists(beside)) config = ReadConfigFile(beside);
        }
        if (!File.Exists(weights)) throw new InvalidModelFileException(weights, "no such file");

        Dictionary<string, Tensor> state;
        if (weights.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
        {
            state = ReadSafetensors(weights);
        }
        else
        {
            (state, var args) = ReadPyTorch(weights);
            config ??= args;
        }
        using var scope = NewDisposeScope();
        try
        {
            if (TransformerLensLayout.Matches(state))
            {
                var (converted, inferred) = Convert(() => TransformerLensLayout.Convert(state, weights), weights);
                return Build(converted, config ?? inferred, weights, device);
            }
            var named = state.ToDictionary(kv => kv.Key.StartsWith(CompiledPrefix, StringComparison.Ordinal) ? kv.Key[CompiledPrefix.Length..] : kv.Key, kv => kv.Value);
            DropBuffersAndTiedHead(named);
            return Build(named, config ?? Infer(named, weights, heads), weights, device);
        }
        finally
        {
            foreach (var t in state.Values) t.Dispose();
        }
    }

    private static GptModel Build(Dictionary<string, Tensor> state, GptConfig config, string path, Device? device)
    {
        if (!state.ContainsKey("lm_head.weight") && !config.TiedEmbeddings)
            throw new InvalidModelFileException(path, "the configuration says the unembedding is untied, but there is no lm_head.weight");
        GptModel model;
        try
        {
            model = new GptModel(config);
        }
        catch (ArgumentException e)
        {
            throw new InvalidModelFileException(path, $"invalid configuration: {e.Message}", e);
        }
        try
        {
            model.LoadParameters(state.ToDictionary(kv => kv.Key, kv => kv.Value.to_type(ScalarType.Float32)));
            if (device is not null) model.MoveTo(device);
            return model;
        }
        catch (ArgumentException e)
        {
            model.Dispose();
            throw new InvalidModelFileException(path, e.Message, e);
        }
    }

    /// <summary>Whether <paramref name="path"/> could only be a model's name: a name (<see cref="PretrainedModels.IsName"/>) without a file extension.</summary>
    private static bool IsBareName(string path) => PretrainedModels.IsName(path) && !Path.HasExtension(path);

    /// <summary>Removes nanoGPT's causal-mask buffers (<c>attn.bias</c> [1, 1, T, T]) and an <c>lm_head.weight</c> equal to <c>wte</c> (weight tying).</summary>
    private static void DropBuffersAndTiedHead(Dictionary<string, Tensor> state)
    {
        foreach (var key in state.Keys.Where(k => (k.EndsWith(".attn.bias", StringComparison.Ordinal) && state[k].dim() == 4) || k.EndsWith(".attn.masked_bias", StringComparison.Ordinal)).ToList())
            state.Remove(key);
        if (state.TryGetValue("lm_head.weight", out var head) && state.TryGetValue("transformer.wte.weight", out var wte)
            && head.shape.SequenceEqual(wte.shape) && head.allclose(wte, rtol: 0, atol: 0))
            state.Remove("lm_head.weight");
    }

    /// <summary>The configuration a nanoGPT-named state dict implies; the head count is not in the shapes.</summary>
    private static GptConfig Infer(Dictionary<string, Tensor> state, string path, int? heads)
    {
        long[] Shape(string name) => state.TryGetValue(name, out var t) ? t.shape
            : throw new InvalidModelFileException(path, $"not a nanoGPT state dict: there is no '{name}' (found {string.Join(", ", state.Keys.Take(6))}{(state.Count > 6 ? ", …" : "")})");
        var wte = Shape("transformer.wte.weight");
        var layers = 0;
        while (state.ContainsKey($"transformer.h.{layers}.attn.c_attn.weight")) layers++;
        var d = (int)wte[^1];
        return new GptConfig
        {
            Layers = layers,
            Heads = heads ?? (d % 64 == 0 ? d / 64 : 1),
            ModelDimension = d,
            VocabularySize = (int)wte[0],
            ContextLength = (int)Shape("transformer.wpe.weight")[0],
            MlpDimension = layers > 0 ? (int)Shape("transformer.h.0.mlp.c_fc.weight")[0] : 0,
            Bias = state.ContainsKey("transformer.ln_f.bias"),
            TiedEmbeddings = !state.ContainsKey("lm_head.weight"),
            UnembeddingBias = state.ContainsKey("lm_head.bias"),
        };
    }

    private static GptConfig ReadConfigFile(string path)
    {
        if (!File.Exists(path)) throw new InvalidModelFileException(path, "the model has no config.json");
        try
        {
            var config = JsonSerializer.Deserialize<GptConfig>(File.ReadAllText(path)) ?? throw new InvalidModelFileException(path, "empty configuration");
            config.Validate();
            return config;
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw new InvalidModelFileException(path, $"not a valid model configuration: {e.Message}", e);
        }
    }

    /// <summary>The tensors of a safetensors file whose header was checked first (sizes, ranges, names), so a hostile one is refused before any allocation.</summary>
    internal static Dictionary<string, Tensor> ReadSafetensors(string path)
    {
        try
        {
            SafetensorsHeader.Read(path);
        }
        catch (InvalidSaeFileException e)
        {
            throw new InvalidModelFileException(path, e.Problem, e);
        }
        try
        {
            return Safetensors.LoadStateDict(path);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidModelFileException(path, $"not a readable safetensors file ({e.GetType().Name}: {e.Message})", e);
        }
    }

    /// <summary>The tensors of a .pt file and, for a nanoGPT training checkpoint, its <c>model_args</c>.</summary>
    private static (Dictionary<string, Tensor> State, GptConfig? Args) ReadPyTorch(string path)
    {
        var table = PyTorchArchive.Read(path, (problem, e) => new InvalidModelFileException(path, problem, e));
        var isCheckpoint = table["model"] is Hashtable && table["model_args"] is Hashtable;
        var source = isCheckpoint ? (Hashtable)table["model"]! : table;
        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in source)
            if (entry.Key is string name && entry.Value is Tensor tensor) state[name] = tensor;
        if (isCheckpoint) DisposeOthers(table, source);
        if (state.Count == 0) throw new InvalidModelFileException(path, "the file holds no tensors");
        return (state, isCheckpoint ? ReadModelArgs((Hashtable)table["model_args"]!, state, path) : null);
    }

    /// <summary>Frees tensors of a checkpoint that are not the model's (optimiser state, best loss).</summary>
    private static void DisposeOthers(object? value, Hashtable keep)
    {
        switch (value)
        {
            case Tensor t: t.Dispose(); break;
            case Hashtable h when !ReferenceEquals(h, keep):
                foreach (DictionaryEntry e in h) DisposeOthers(e.Value, keep);
                break;
            case IEnumerable list and not string:
                foreach (var item in list) DisposeOthers(item, keep);
                break;
        }
    }

    /// <summary>nanoGPT's <c>model_args</c> (n_layer, n_head, n_embd, block_size, bias, vocab_size, dropout) as a configuration.</summary>
    private static GptConfig ReadModelArgs(Hashtable args, Dictionary<string, Tensor> state, string path)
    {
        int Int(string key) => args[key] switch
        {
            int i => i,
            long l => checked((int)l),
            _ => throw new InvalidModelFileException(path, $"model_args['{key}'] is missing or not an integer"),
        };
        var mlp = state.Keys.FirstOrDefault(k => k.EndsWith("h.0.mlp.c_fc.weight", StringComparison.Ordinal)) is { } fc ? (int)state[fc].shape[0] : 0;
        return new GptConfig
        {
            Layers = Int("n_layer"),
            Heads = Int("n_head"),
            ModelDimension = Int("n_embd"),
            ContextLength = Int("block_size"),
            VocabularySize = Int("vocab_size"),
            Bias = args["bias"] is not bool b || b,
            MlpDimension = mlp,
        };
    }

    private static T Convert<T>(Func<T> convert, string path)
    {
        try
        {
            return convert();
        }
        catch (ExternalException e)
        {
            throw new InvalidModelFileException(path, $"tensors of inconsistent shapes ({e.Message.Split('\n')[0]})", e);
        }
    }
}
