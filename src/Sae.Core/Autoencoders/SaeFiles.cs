using Sae.Core.Activations;
using Sae.Core.Architectures;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sae.Core.IO;
using TorchSharp.PyBridge;
using static TorchSharp.torch;
using TorchSharp;

namespace Sae.Core.Autoencoders;

/// <summary>
/// Saves and loads SAEs as SAELens does: a directory with <c>sae_weights.safetensors</c> (the
/// parameters by SAELens name) and <c>cfg.json</c> (<see cref="SaeConfig"/>). Files are written
/// beside their target and renamed into place, weights first.
/// </summary>
public static class SaeFiles
{
    /// <summary>The weights' file name.</summary>
    public const string WeightsFileName = "sae_weights.safetensors";

    /// <summary>The configuration's file name.</summary>
    public const string ConfigFileName = "cfg.json";

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    /// <summary>
    /// Writes <paramref name="sae"/> into <paramref name="directory"/> (created if needed), with
    /// <paramref name="training"/> in cfg.json. An SAE trained on activations scaled by
    /// <paramref name="inputScale"/> s is saved for raw activations: W_enc·s, W_dec/s, b_dec/s give the
    /// same features of x as the trained SAE gives of s·x, and reconstructions in x's units (W_dec's rows
    /// then have norm 1/s). The SAE in memory is not changed.
    /// </summary>
    public static void Save(SparseAutoencoder sae, string directory, JsonObject? training = null, double inputScale = 1.0)
    {
        if (!(inputScale > 0) || double.IsInfinity(inputScale)) throw new ArgumentOutOfRangeException(nameof(inputScale), inputScale, "The input scale must be positive and finite.");
        if (FiniteValues.FirstNonFiniteWeight(sae.Parameters) is { } bad)
            throw new ArgumentException($"{directory}: the SAE's {bad.Name} holds {bad.Value}; an SAE with NaN or infinite weights is not saved.", nameof(sae));
        Directory.CreateDirectory(directory);
        var tensors = sae.Parameters.ToDictionary(p => p.Key, p => Native.HostTensors.Contiguous(p.Value));
        if (inputScale != 1.0)
        {
            void Scale(string name, double factor)
            {
                var unscaled = tensors[name];
                using var scale = factor.ToScalar();
                tensors[name] = unscaled.mul(scale);
                unscaled.Dispose();
            }
            Scale("W_enc", inputScale);
            Scale("W_dec", 1 / inputScale);
            Scale("b_dec", 1 / inputScale);
        }
        try
        {
            AtomicFile.Write(Path.Combine(directory, WeightsFileName), temp => Safetensors.SaveStateDict(temp, tensors));
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }

        var config = new SaeConfig
        {
            Architecture = sae.Architecture,
            InputDimension = sae.InputDimension,
            FeatureCount = sae.FeatureCount,
            DType = sae.DType == ScalarType.BFloat16 ? "bfloat16" : "float32",
            Device = sae.Device.type == TorchSharp.DeviceType.CUDA ? "cuda" : "cpu",
            Training = training,
        };
        // An SAE of an unregistered architecture still saves; only loading it back needs the registration.
        config = SaeArchitectures.Find(sae.Architecture)?.Complete(sae, config) ?? config;
        AtomicFile.WriteAllText(Path.Combine(directory, ConfigFileName), JsonSerializer.Serialize(config, JsonOptions));
    }

    /// <summary>Reads cfg.json of an SAE directory.</summary>
    /// <exception cref="InvalidSaeFileException">The file is missing, not JSON, or lacks architecture, d_in or d_sae.</exception>
    public static SaeConfig ReadConfig(string directory)
    {
        var path = Path.Combine(directory, ConfigFileName);
        if (!File.Exists(path)) throw new InvalidSaeFileException(path, "the SAE directory has no cfg.json");
        try
        {
            return JsonSerializer.Deserialize<SaeConfig>(File.ReadAllText(path))
                   ?? throw new InvalidSaeFileException(path, "cfg.json is empty");
        }
        catch (JsonException e)
        {
            throw new InvalidSaeFileException(path, $"cfg.json is not a valid SAE configuration: {e.Message}", e);
        }
    }

    /// <summary>Loads the SAE saved in <paramref name="directory"/> onto <paramref name="device"/> (CPU by default).</summary>
    /// <exception cref="InvalidSaeFileException">A file is missing, truncated, foreign, or inconsistent with cfg.json.</exception>
    public static SparseAutoencoder Load(string directory, Device? device = null)
    {
        var config = ReadConfig(directory);
        var weights = Path.Combine(directory, WeightsFileName);
        var declared = SafetensorsHeader.Read(weights);
        var sae = Create(config, Path.Combine(directory, ConfigFileName));
        try
        {
            foreach (var (name, shape) in sae.ExpectedShapes)
            {
                if (!declared.TryGetValue(name, out var tensor))
                    throw new InvalidSaeFileException(weights, $"a {config.Architecture} SAE needs a tensor '{name}'; the file has {string.Join(", ", declared.Keys)}");
                if (!tensor.Shape.SequenceEqual(shape))
                    throw new InvalidSaeFileException(weights, $"tensor '{name}' is [{string.Join(", ", tensor.Shape)}]; cfg.json (d_in {config.InputDimension}, d_sae {config.FeatureCount}) needs [{string.Join(", ", shape)}]");
            }
            var loaded = Safetensors.LoadStateDict(weights);
            try
            {
                using var scope = NewDisposeScope();
                sae.LoadParameters(loaded.ToDictionary(p => p.Key, p => p.Value.to_type(ScalarType.Float32)));
            }
            finally
            {
                foreach (var t in loaded.Values) t.Dispose();
            }
            if (device is not null) sae.MoveTo(device);
            return sae;
        }
        catch
        {
            sae.Dispose();
            throw;
        }
    }

    /// <summary>An untrained SAE of the registered architecture and the size <paramref name="config"/> names.</summary>
    private static SparseAutoencoder Create(SaeConfig config, string path)
    {
        if (config.InputDimension < 1 || config.FeatureCount < 1)
            throw new InvalidSaeFileException(path, $"d_in ({config.InputDimension}) and d_sae ({config.FeatureCount}) must be positive");
        var architecture = SaeArchitectures.Find(config.Architecture)
            ?? throw new InvalidSaeFileException(path, $"unknown architecture '{config.Architecture}' (known: {string.Join(", ", SaeArchitectures.All.Select(a => a.Name))}; register others with SaeArchitectures.Register)");
        return architecture.CreateForLoading(config, path);
    }
}
