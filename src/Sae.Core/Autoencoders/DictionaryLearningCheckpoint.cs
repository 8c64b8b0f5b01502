using System.Collections;
using System.Text.Json;
using Sae.Core.IO;
using static TorchSharp.torch;

namespace Sae.Core.Autoencoders;

/// <summary>
/// Imports an SAE trained by dictionary_learning: <c>ae.pt</c> (a PyTorch state dict) and, beside it,
/// <c>config.json</c> whose <c>trainer.dict_class</c> names the class. Its names map to SAELens's:
/// <list type="table">
/// <item><term>AutoEncoder</term><description>bias → b_dec; encoder.weight [F, d] → W_enc [d, F]; encoder.bias → b_enc; decoder.weight [d, F] → W_dec [F, d].</description></item>
/// <item><term>GatedAutoEncoder</term><description>decoder_bias → b_dec; encoder.weight → W_enc; gate_bias → b_gate; r_mag; mag_bias → b_mag; decoder.weight → W_dec.</description></item>
/// <item><term>AutoEncoderTopK</term><description>b_dec; encoder.weight → W_enc; encoder.bias → b_enc; decoder.weight → W_dec; k.</description></item>
/// </list>
/// Without config.json the class is inferred from the names.
/// </summary>
public static class DictionaryLearningCheckpoint
{
    /// <summary>Loads the SAE in <paramref name="directory"/> (which holds ae.pt).</summary>
    /// <exception cref="InvalidSaeFileException">ae.pt is missing, not a state dict, of an unknown class, or inconsistent.</exception>
    public static SparseAutoencoder Load(string directory)
    {
        var path = Path.Combine(directory, "ae.pt");
        if (!File.Exists(path)) throw new InvalidSaeFileException(path, "the directory has no ae.pt");
        var state = ReadStateDict(path);
        using var scope = NewDisposeScope(); // the transposed and converted copies
        try
        {
            var dictClass = ReadDictClass(Path.Combine(directory, "config.json")) ?? Infer(state);
            var encoder = Get(state, path, "encoder.weight");
            if (encoder.dim() != 2 || encoder.shape.Any(n => n is < 1 or > int.MaxValue))
                throw new InvalidSaeFileException(path, $"encoder.weight is [{string.Join(", ", encoder.shape)}], not [dict_size, activation_dim] with both at least 1");
            var (features, dimension) = ((int)encoder.shape[0], (int)encoder.shape[1]);
            SparseAutoencoder sae;
            Dictionary<string, Tensor> values;
            switch (dictClass)
            {
                case "AutoEncoder":
                    sae = new StandardSae(dimension, features);
                    values = new() { ["W_enc"] = encoder.t(), ["b_enc"] = Get(state, path, "encoder.bias"), ["W_dec"] = Get(state, path, "decoder.weight").t(), ["b_dec"] = Get(state, path, "bias") };
                    break;
                case "GatedAutoEncoder":
                    sae = new GatedSae(dimension, features);
                    values = new()
                    {
                        ["W_enc"] = encoder.t(), ["b_gate"] = Get(state, path, "gate_bias"), ["r_mag"] = Get(state, path, "r_mag"),
                        ["b_mag"] = Get(state, path, "mag_bias"), ["W_dec"] = Get(state, path, "decoder.weight").t(), ["b_dec"] = Get(state, path, "decoder_bias"),
                    };
                    break;
                case "AutoEncoderTopK":
                    var k = (int)Get(state, path, "k").item<long>();
                    if (k < 1 || k > features) throw new InvalidSaeFileException(path, $"k = {k} is not between 1 and dict_size {features}");
                    sae = new TopKSae(dimension, features, k);
                    values = new() { ["W_enc"] = encoder.t(), ["b_enc"] = Get(state, path, "encoder.bias"), ["W_dec"] = Get(state, path, "decoder.weight").t(), ["b_dec"] = Get(state, path, "b_dec") };
                    break;
                default:
                    throw new InvalidSaeFileException(path, $"dict_class '{dictClass}' is not supported (AutoEncoder, GatedAutoEncoder, AutoEncoderTopK are)");
            }
            try
            {
                sae.LoadParameters(values.ToDictionary(kv => kv.Key, kv => kv.Value.to_type(ScalarType.Float32)));
                return sae;
            }
            catch (ArgumentException e)
            {
                sae.Dispose();
                throw new InvalidSaeFileException(path, e.Message, e);
            }
        }
        finally
        {
            foreach (var t in state.Values) t.Dispose();
        }
    }

    private static Dictionary<string, Tensor> ReadStateDict(string path)
    {
        var table = PyTorchArchive.Read(path, (problem, e) => new InvalidSaeFileException(path, problem, e));
        var state = new Dictionary<string, Tensor>();
        foreach (DictionaryEntry entry in table)
            if (entry.Key is string name && entry.Value is Tensor tensor) state[name] = tensor;
        return state;
    }

    private static string? ReadDictClass(string configPath)
    {
        if (!File.Exists(configPath)) return null;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(configPath));
            return document.RootElement.TryGetProperty("trainer", out var trainer) && trainer.TryGetProperty("dict_class", out var dictClass)
                ? dictClass.GetString()
                : null;
        }
        catch (JsonException e)
        {
            throw new InvalidSaeFileException(configPath, $"config.json is not JSON: {e.Message}", e);
        }
    }

    private static string Infer(Dictionary<string, Tensor> state) =>
        state.ContainsKey("r_mag") ? "GatedAutoEncoder"
        : state.ContainsKey("k") ? "AutoEncoderTopK"
        : "AutoEncoder";

    private static Tensor Get(Dictionary<string, Tensor> state, string path, string name) =>
        state.TryGetValue(name, out var tensor)
            ? tensor
            : throw new InvalidSaeFileException(path, $"the state dict has no '{name}' (it has {string.Join(", ", state.Keys)})");
}
