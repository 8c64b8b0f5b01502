using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Sae.Core.LanguageModels;

/// <summary>
/// The machine-readable model card of a shipped model (<see cref="PretrainedModels.CardFileName"/>, beside
/// its weights): what it is, the SHA-256 of its weights, how it was trained, and what it was measured to
/// do on held-out games — the figures a user checks a download against and an experiment picks its layer
/// by. The narrative card (<c>MODEL_CARD.md</c>) holds the same figures with the commands that made them.
/// </summary>
public sealed record ModelCard
{
    /// <summary>The model's name, as <see cref="PretrainedModels.Path"/> takes it: e.g. <c>othello-gpt-small</c>.</summary>
    [JsonPropertyName("name")] public required string Name { get; init; }

    /// <summary>The game the model was trained on: <c>othello</c> or <c>chess</c>.</summary>
    [JsonPropertyName("game")] public required string Game { get; init; }

    /// <summary>The SHA-256 of <see cref="GptFiles.WeightsFileName"/>, 64 lower-case hexadecimal digits.</summary>
    [JsonPropertyName("weights_sha256")] public required string WeightsSha256 { get; init; }

    /// <summary>The block (0-based) whose output an experiment's SAEs read by default: the probe's best layer on the held-out games.</summary>
    [JsonPropertyName("layer")] public required int Layer { get; init; }

    /// <summary>The seed of the synthetic data set the model trained on (the held-out games are its last ones).</summary>
    [JsonPropertyName("data_seed")] public required ulong DataSeed { get; init; }

    /// <summary>Index of the first held-out game in that data set.</summary>
    [JsonPropertyName("held_out_first_game")] public required long HeldOutFirstGame { get; init; }

    /// <summary>Number of held-out games <see cref="LegalMoveRate"/> and <see cref="Loss"/> were measured on.</summary>
    [JsonPropertyName("held_out_games")] public required int HeldOutGames { get; init; }

    /// <summary>Held-out legal-move rate (Othello: the fraction of positions whose top-1 prediction is legal); null for chess.</summary>
    [JsonPropertyName("legal_move_rate")] public double? LegalMoveRate { get; init; }

    /// <summary>Held-out next-token loss, against the targets the model trained on.</summary>
    [JsonPropertyName("loss")] public required double Loss { get; init; }

    /// <summary>The board state property of <see cref="ProbeF1"/>: e.g. <c>mine_yours_blank_masked</c>.</summary>
    [JsonPropertyName("probe_bsp")] public required string ProbeBsp { get; init; }

    /// <summary>Board-reconstruction F1 of a linear probe of <see cref="ProbeBsp"/> at each layer, on held-out games.</summary>
    [JsonPropertyName("probe_f1")] public required IReadOnlyList<double> ProbeF1 { get; init; }

    /// <summary>
    /// The experiment settings (config.json's names, e.g. <c>chess_engine_depth</c>) under which a run generates games like
    /// the model's training games; a run on the shipped model takes them. Null where the game's defaults already do (Othello).
    /// </summary>
    [JsonPropertyName("data_config"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public JsonObject? DataConfig { get; init; }

    /// <summary>How the model was trained, as recorded: commands, steps, tokens, CPU-hours, machine, restarts.</summary>
    [JsonPropertyName("training")] public JsonObject? Training { get; init; }

    // Relaxed escaping keeps the commands a card records readable (' and ` as themselves, not \u0027 and \u0060);
    // a card is a file read by JSON parsers, never embedded in HTML.
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Reads a card.</summary>
    /// <exception cref="InvalidModelFileException">The file is missing, not JSON, or lacks a field.</exception>
    public static ModelCard Read(string path)
    {
        if (!File.Exists(path)) throw new InvalidModelFileException(path, "the model has no model card");
        try
        {
            return JsonSerializer.Deserialize<ModelCard>(File.ReadAllText(path)) ?? throw new InvalidModelFileException(path, "an empty model card");
        }
        catch (JsonException e)
        {
            throw new InvalidModelFileException(path, $"not a valid model card: {e.Message}", e);
        }
    }

    /// <summary>The card as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Indented);

    /// <summary>Writes the card to <paramref name="path"/>, atomically.</summary>
    public void Write(string path) => Sae.Core.IO.AtomicFile.WriteAllText(path, ToJson());

    /// <summary>The SHA-256 of a file as 64 lower-case hexadecimal digits, as <see cref="WeightsSha256"/> records it.</summary>
    public static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
