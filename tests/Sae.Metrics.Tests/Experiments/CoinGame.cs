using Sae.Core.LanguageModels;
using Sae.Games.BoardState;
using Sae.Metrics.Evaluation;
using Sae.Metrics.LanguageModels;
using Sae.Metrics.Experiments;

namespace Sae.Metrics.Tests.Experiments;

/// <summary>
/// A game of your own, in one file, as docs/extending.md shows it: a game is <see cref="CoinGame.Flips"/> fair coin
/// flips, written one game a line as <c>H</c> and <c>T</c>; its tokens are 1 (heads) and 2 (tails); the model reads
/// the first <see cref="CoinGame.Width"/> flips and every one is a sample, labelled with the flip just seen
/// (<c>last_flip</c>) and whether heads lead so far (<c>heads_lead</c>).
/// </summary>
public sealed class CoinGame : ExperimentGame
{
    /// <summary>Flips per game: the model's context and one more, the last input's target.</summary>
    public const int Flips = Width + 1;

    /// <summary>Tokens the model reads.</summary>
    public const int Width = 12;

    public override string Name => "coins";

    public override string GamesFileName => "games.coins";

    public override IReadOnlyList<string> DefaultBsps => [LastFlip.Name, HeadsLead.Name];

    /// <summary>A run of seconds: a one-block model, a two-SAE sweep.</summary>
    public override ExperimentConfig Preset(string name) => name == "smoke"
        ? new ExperimentConfig
        {
            Game = Name, Bsps = DefaultBsps,
            ModelGames = 200, SaeGames = 30, EvalTrainGames = 40, EvalTestGames = 40,
            Model = new GptConfig { Layers = 1, ModelDimension = 16, Heads = 2, VocabularySize = 3, ContextLength = Width },
            ModelTraining = new GptTrainingOptions { Steps = 15, BatchSize = 8, WarmupSteps = 3, CheckpointEvery = 5 },
            Layer = 0, Features = 32, SaeSteps = 20, SaeBatch = 64, SaeWarmup = 5,
            Sweep = [new("standard", false, [0.05]), new("topk", false, [4])],
        }
        : throw UnknownPreset(name);

    public override void WriteGames(string path, ExperimentConfig config, long total, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var random = new Random((int)config.Seed);
        var lines = Enumerable.Range(0, (int)total).Select(_ => new string([.. Enumerable.Range(0, Flips).Select(_ => random.Next(2) == 0 ? 'H' : 'T')]));
        File.WriteAllLines(path + ".tmp", lines);
        File.Move(path + ".tmp", path, overwrite: true);
        progress?.Report(total);
    }

    /// <summary>The properties are not on a board: no feature views.</summary>
    public override bool HasBoardViews => false;

    public override IGameDataset Open(string path, IReadOnlyList<string> bsps, int contextLength) =>
        new Dataset(File.ReadAllLines(path), [.. bsps.Select(b => All.Single(p => p.Name == b))]);

    /// <summary>A game's state after a flip: the flip, and heads minus tails so far.</summary>
    public readonly record struct State(bool Heads, int Lead);

    /// <summary>The flip just seen, one-hot: heads, tails.</summary>
    public static readonly IBoardStateProperty<State> LastFlip = new Property("last_flip", 2, (s, labels) => labels[s.Heads ? 0 : 1] = 1);

    /// <summary>Whether heads lead so far.</summary>
    public static readonly IBoardStateProperty<State> HeadsLead = new Property("heads_lead", 1, (s, labels) => labels[0] = (byte)(s.Lead > 0 ? 1 : 0));

    private static readonly IBoardStateProperty<State>[] All = [LastFlip, HeadsLead];

    private delegate void Writer(State state, Span<byte> labels);

    /// <summary>A property of the whole game (1 x 1 x channels).</summary>
    private sealed class Property(string name, int channels, Writer write) : IBoardStateProperty<State>
    {
        public string Name => name;

        public BoardStateShape Shape => new(1, 1, channels);

        public int? MaskedChannel => null;

        public void Write(in State state, Span<byte> labels)
        {
            labels.Clear();
            write(state, labels);
        }
    }

    /// <summary>The games of a file, read by range.</summary>
    private sealed class Dataset(string[] games, IReadOnlyList<IBoardStateProperty<State>> properties) : IGameDataset
    {
        // Each next flip is drawn uniformly from heads and tails: tokens 1 and 2.
        private const ulong BothSides = 1UL << 1 | 1UL << 2;

        public long Count => games.Length;

        public TokenSequences TrainingSequences(long first, int count, string targets) => targets switch
        {
            "sampled" => Sequences(first, count),
            "legal-moves" => new TokenSequences(Tokens(first, count, Flips), count, Flips, targetChoices: [.. Enumerable.Repeat(BothSides, count * Width)]),
            _ => throw new ArgumentException($"Unknown targets '{targets}'."),
        };

        public GamePositions Positions(long first, int count)
        {
            var (tokens, width, positions) = Samples(first, count);
            var states = games.Skip((int)first).Take(count).Select(g => (IReadOnlyList<State>)[.. g[..Width].Select((_, i) => StateAfter(g, i))]).ToList();
            return GamePositions.Of(tokens, width, positions, states, properties, Sequences(first, count));
        }

        public (long[] Tokens, int Width, IReadOnlyList<int[]> Positions) Samples(long first, int count) =>
            (Tokens(first, count, Width), Width, [.. Enumerable.Repeat(Enumerable.Range(0, Width).ToArray(), count)]);

        public LegalMoveRateResult Measure(GptModel model, long first, int count, CancellationToken cancellationToken) =>
            new(double.NaN, 0, SequenceLoss.Measure(model, Sequences(first, count), cancellationToken: cancellationToken));

        public void Dispose()
        {
        }

        private static State StateAfter(string game, int flip) => new(game[flip] == 'H', game[..(flip + 1)].Sum(c => c == 'H' ? 1 : -1));

        private TokenSequences Sequences(long first, int count) => new(Tokens(first, count, Flips), count, Flips);

        private long[] Tokens(long first, int count, int length) =>
            [.. games.Skip((int)first).Take(count).SelectMany(g => g[..length].Select(c => c == 'H' ? 1L : 2L))];
    }
}
