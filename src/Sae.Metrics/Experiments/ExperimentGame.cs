using Sae.Core.LanguageModels;

namespace Sae.Metrics.Experiments;

/// <summary>
/// A game as the experiment and the <c>sae</c> command see it: its name (config.json's <c>game</c>, <c>--game</c>), its
/// presets, the games file of a run folder and how to write it, and how to open a file of its games. Implementing it
/// once makes a game run end to end (<see cref="Experiment.Run"/>, <c>sae run</c>, <c>sae lm collect</c>,
/// <c>sae eval run</c>); <see cref="ExperimentGames"/> holds Othello, chess and any game registered there.
/// </summary>
public abstract class ExperimentGame
{
    /// <summary>The game's name in config.json and on the command line: e.g. <c>othello</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The name of a run folder's games file, e.g. <c>games.othello</c>; the extension says the format.</summary>
    public abstract string GamesFileName { get; }

    /// <summary>The board state properties evaluated when none are named, the headline one first.</summary>
    public abstract IReadOnlyList<string> DefaultBsps { get; }

    /// <summary>The game's preset named <paramref name="name"/>: <c>laptop</c>, <c>smoke</c> or <c>paper</c> (what <c>sae run --preset</c> takes).</summary>
    /// <exception cref="ArgumentException">The game has no preset of that name.</exception>
    public abstract ExperimentConfig Preset(string name);

    /// <summary>
    /// Writes <paramref name="total"/> games for <paramref name="config"/> to <paramref name="path"/> (the same file for the
    /// same configuration, from <see cref="ExperimentConfig.Seed"/>), reporting the games written so far to
    /// <paramref name="progress"/>. Write to a temporary file and rename it, so that an interrupted run leaves no half file.
    /// </summary>
    public abstract void WriteGames(string path, ExperimentConfig config, long total, IProgress<long>? progress, CancellationToken cancellationToken);

    /// <summary>
    /// Opens a file of this game's games (one <see cref="WriteGames"/> wrote, or one of the user's), labelled with the
    /// board state properties named <paramref name="bsps"/> (none where no positions are asked for), for a model that reads
    /// <paramref name="contextLength"/> tokens.
    /// </summary>
    /// <exception cref="ArgumentException">A property name is not one of the game's.</exception>
    public abstract IGameDataset Open(string path, IReadOnlyList<string> bsps, int contextLength);

    /// <summary>
    /// What a reader of the report should know about the board state property <paramref name="bsp"/> of this game, as a
    /// clause (e.g. the paper's figures on it, or a ceiling its formula sets); null where there is nothing to add.
    /// </summary>
    public virtual string? BspNote(string bsp) => null;

    /// <summary>
    /// The shape a new model of this game starts from: its vocabulary, context length and whether its layers have biases
    /// (the size fields are the laptop experiment's); <c>sae lm train</c> sets the size and, where asked, the context on it.
    /// </summary>
    public virtual GptConfig ModelTemplate => Preset("laptop").Model;

    /// <summary>
    /// Whether the experiment draws what single features detect on this game's board (the report's heat-maps and the feature
    /// browser): true for games whose board state properties lie on an 8×8 board, as Othello's and chess's do; a game whose
    /// properties do not returns false and its runs skip the step.
    /// </summary>
    public virtual bool HasBoardViews => true;

    /// <summary>The error of <see cref="Preset"/> for a name it does not know, naming the three it should.</summary>
    protected static ArgumentException UnknownPreset(string name) => new($"Unknown preset '{name}' (laptop, smoke, paper).");
}
