using Sae.Core.Activations;
using Sae.Games.Chess;
using Sae.Metrics.Experiments;

namespace Sae.Metrics.Tests.Experiments;

public sealed class ExperimentGamesTests : IDisposable
{
    private static readonly CoinGame Coins = new();
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "coins-" + Guid.NewGuid().ToString("N"));

    public ExperimentGamesTests() => ExperimentGames.Register(Coins);

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void The_built_in_games_are_found_by_name_and_a_second_game_of_a_taken_name_is_refused()
    {
        ExperimentGames.Get("othello").Should().BeSameAs(ExperimentGames.Othello);
        ExperimentGames.Get("chess").Should().BeSameAs(ExperimentGames.Chess);
        ExperimentGames.Find("go").Should().BeNull();
        ExperimentGames.Names.Should().StartWith("othello, chess").And.EndWith(" or coins");
        FluentActions.Invoking(() => ExperimentGames.Get("go")).Should().Throw<ArgumentException>().WithMessage("Unknown game 'go' (othello, chess, coins*");
        FluentActions.Invoking(() => ExperimentGames.Register(new CoinGame())).Should().Throw<ArgumentException>().WithMessage("*'coins' is already registered*");
        ExperimentGames.Register(Coins); // the same instance again: nothing happens
        ExperimentGames.All.Count(g => g.Name == "coins").Should().Be(1);
    }

    [Fact]
    public void A_model_is_measured_for_its_card_through_any_game()
    {
        var game = ExperimentGames.Get("coins");
        var config = ExperimentConfig.Preset("smoke", "coins");
        Directory.CreateDirectory(_dir);
        var path = Path.Combine(_dir, game.GamesFileName);
        game.WriteGames(path, config, 30, null, CancellationToken.None);
        using var games = game.Open(path, [CoinGame.LastFlip.Name], config.Model.ContextLength);
        using var model = new Sae.Core.LanguageModels.GptModel(config.Model with { Layers = 2 }, seed: 1);

        var lines = new List<string>();
        var measures = GameModelMeasurement.Measure(model, games, CoinGame.LastFlip.Name, 10, 20, 10, new Sae.Core.InlineProgress<string>(lines.Add));
        measures.HeldOut.Loss.Should().Be(games.Measure(model, 10, 20, CancellationToken.None).Loss, "the loss of the same held-out games");
        double.IsNaN(measures.HeldOut.Rate).Should().BeTrue("coin flips have no legal-move rate");
        measures.ProbeF1.Should().HaveCount(2).And.OnlyContain(f => f >= 0 && f <= 1);
        measures.ProbeF1[measures.BestLayer].Should().Be(measures.ProbeF1.Max());
        lines.Should().Contain(l => l.Contains("linear probe of last_flip at layer 1"));
        new GameModelMeasures(measures.HeldOut, "x", [0.5, 0.7, 0.7]).BestLayer.Should().Be(1, "the first of equals");

        FluentActions.Invoking(() => GameModelMeasurement.Measure(model, games, CoinGame.LastFlip.Name, 10, 20, 11))
            .Should().Throw<ArgumentException>().WithMessage("*twice as many held-out games*");
    }

    [Fact]
    public void Chess_engine_games_of_a_run_are_those_sae_chess_generate_writes_for_the_same_settings()
    {
        var config = ExperimentConfig.ChessSmoke with { Seed = 11, ChessEngineDepth = 1, ChessRandomOpening = 4, ChessRandomMoves = 0.2 };
        Directory.CreateDirectory(_dir);
        var path = Path.Combine(_dir, "games.txt");
        ExperimentGames.Chess.WriteGames(path, config, 6, null, CancellationToken.None);
        var width = config.Model.ContextLength;
        // sae chess generate --engine-depth 1 --random-opening 4 --random-moves 0.2 --seed 11 plays up to 400 plies; the run keeps what the model reads.
        var engine = new ChessEngine(1) { RandomOpeningPlies = 4, RandomMoveProbability = 0.2 };
        File.ReadAllLines(path).Should().Equal(Enumerable.Range(0, 6).Select(i => ChessGptTranscript.Truncate(ChessGptTranscript.Format(engine.Game(11, i, 400)), width + 1)));
        File.ReadAllLines(path).Distinct().Should().HaveCount(6, "the random opening makes games differ");

        var plain = config with { ChessEngineDepth = null };
        FluentActions.Invoking(() => ExperimentGames.Chess.WriteGames(path, plain, 2, null, CancellationToken.None))
            .Should().Throw<ArgumentException>().WithMessage("*apply to engine games*");
    }

    [Fact]
    public void A_registered_game_gives_its_sequences_samples_and_labels_through_the_public_api()
    {
        var game = ExperimentGames.Get("coins");
        var config = ExperimentConfig.Preset("smoke", "coins");
        Directory.CreateDirectory(_dir);
        var path = Path.Combine(_dir, game.GamesFileName);
        game.WriteGames(path, config, 5, null, CancellationToken.None);
        var flips = File.ReadAllLines(path);
        using var games = game.Open(path, game.DefaultBsps, config.Model.ContextLength);

        games.Count.Should().Be(5);
        var (tokens, width, positions) = games.Samples(1, 2);
        width.Should().Be(CoinGame.Width);
        tokens.Should().Equal(flips[1..3].SelectMany(g => g[..CoinGame.Width].Select(c => c == 'H' ? 1L : 2L)));
        positions.Should().HaveCount(2).And.OnlyContain(p => p.Length == CoinGame.Width);
        games.TrainingSequences(0, 5, "legal-moves").HasTargetChoices.Should().BeTrue();
        games.TrainingSequences(0, 5, "sampled").Count.Should().Be(5);

        var labelled = games.Positions(1, 2);
        labelled.Rows.Should().Be(2 * CoinGame.Width);
        labelled.Slices.Select(s => s.Name).Should().Equal("last_flip", "heads_lead");
        labelled.Elements.Should().Be(3);
        for (var row = 0; row < labelled.Rows; row++)
        {
            var game1 = flips[1 + row / CoinGame.Width];
            var flip = row % CoinGame.Width;
            var heads = game1[flip] == 'H';
            var lead = game1[..(flip + 1)].Sum(c => c == 'H' ? 1 : -1);
            labelled.Labels.Skip(row * 3).Take(3).Should().Equal([(byte)(heads ? 1 : 0), (byte)(heads ? 0 : 1), (byte)(lead > 0 ? 1 : 0)], $"row {row}");
        }
    }

    [Fact]
    public void A_registered_game_runs_the_whole_experiment_and_its_probe_reads_the_last_flip()
    {
        var records = Experiment.Run(ExperimentConfig.Preset("smoke", "coins"), _dir);

        File.Exists(Path.Combine(_dir, "games.coins")).Should().BeTrue();
        ActivationStore.IsStore(Path.Combine(_dir, "activations")).Should().BeTrue();
        records.Select(r => r.Name).Should().Equal("standard-0.05", "topk-4", "random-model-standard", "mlp_neurons_layer_0", "linear_probe_layer_0");
        records.Should().OnlyContain(r => r.Bsps.Select(b => b.Bsp).SequenceEqual(new[] { "last_flip", "heads_lead" }) && r.TestPositions == 40 * CoinGame.Width);
        records.Single(r => r.Subject == "linear_probe").Bsps[0].ReconstructionF1.Should().BeGreaterThan(0.9,
            "the flip just read is the token at the position, which a linear probe of the residual stream reads off");
        Experiment.Run(ExperimentConfig.Preset("smoke", "coins"), _dir).Should().BeEquivalentTo(records, "a re-run reads the finished records back");
    }
}
