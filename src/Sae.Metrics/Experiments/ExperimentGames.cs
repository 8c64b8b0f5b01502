using Sae.Core;

namespace Sae.Metrics.Experiments;

/// <summary>
/// The registry of games by name: Othello and chess built in, and any a program adds with <see cref="Register"/>. The
/// experiment, its presets and the <c>sae</c> command look the game of a configuration or of <c>--game</c> up here.
/// </summary>
public static class ExperimentGames
{
    /// <summary>Othello: synthetic games of random legal moves, OthelloGPT's tokens.</summary>
    public static OthelloExperimentGame Othello { get; } = new();

    /// <summary>Chess: ChessGPT transcripts of generated or PGN games.</summary>
    public static ChessExperimentGame Chess { get; } = new();

    private static readonly NamedRegistry<ExperimentGame> Registry = new("game", g => g.Name, [Othello, Chess]);

    /// <summary>Every registered game: the built-in ones in the order above, then others in the order registered.</summary>
    public static IReadOnlyList<ExperimentGame> All => Registry.All;

    /// <summary>The registered games' names for messages: <c>othello or chess</c>.</summary>
    public static string Names => Registry.Names("or");

    /// <summary>
    /// Adds <paramref name="game"/>, so that configurations and commands name it. Registering the same instance again does
    /// nothing, so a program may register where it first needs it.
    /// </summary>
    /// <exception cref="ArgumentException">Another game is registered under the same name.</exception>
    public static void Register(ExperimentGame game) => Registry.Register(game);

    /// <summary>The game named <paramref name="name"/>, or null.</summary>
    public static ExperimentGame? Find(string? name) => Registry.Find(name);

    /// <summary>The game named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No game has that name; the message lists those that do.</exception>
    public static ExperimentGame Get(string name) =>
        Find(name) ?? throw new ArgumentException($"Unknown game '{name}' ({string.Join(", ", All.Select(g => g.Name))}).", nameof(name));
}
