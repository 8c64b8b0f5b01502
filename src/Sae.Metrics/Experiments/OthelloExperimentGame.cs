using Sae.Games.Othello;

namespace Sae.Metrics.Experiments;

/// <summary>Othello for the experiment: synthetic games of random legal moves in <c>games.othello</c>, OthelloGPT's tokens.</summary>
public sealed class OthelloExperimentGame : ExperimentGame
{
    /// <inheritdoc />
    public override string Name => "othello";

    /// <inheritdoc />
    public override string GamesFileName => "games.othello";

    /// <inheritdoc />
    public override IReadOnlyList<string> DefaultBsps => ExperimentConfig.Laptop.Bsps;

    /// <inheritdoc />
    public override ExperimentConfig Preset(string name) => name switch
    {
        "laptop" => ExperimentConfig.Laptop,
        "smoke" => ExperimentConfig.Smoke,
        "paper" => ExperimentConfig.Paper,
        _ => throw UnknownPreset(name),
    };

    /// <inheritdoc />
    public override string? BspNote(string bsp) =>
        bsp == OthelloProperties.MineYoursBlankMasked.Name ? "coverage ceiling 2/3: the blank channel is zeroed but counted" : null;

    /// <inheritdoc />
    public override void WriteGames(string path, ExperimentConfig config, long total, IProgress<long>? progress, CancellationToken cancellationToken) =>
        RandomOthelloGames.WriteFile(path, total, config.Seed, cancellationToken: cancellationToken);

    /// <inheritdoc />
    public override IGameDataset Open(string path, IReadOnlyList<string> bsps, int contextLength) =>
        new OthelloGameDataset(OthelloGameFile.Open(path), [.. bsps.Select(OthelloProperties.ByName)]);
}
