using Sae.Core.LanguageModels;
using Sae.Games.Chess;
using Sae.Games.Othello;
using Sae.Metrics.Experiments;
using Sae.Metrics.LanguageModels;

namespace Sae.Metrics.Tests.LanguageModels;

/// <summary>The models this repository ships (Sae.Models): each is what its card says it is.</summary>
public class ShippedModelTests
{
    public static TheoryData<string> Shipped() => [.. PretrainedModels.Names];

    [Fact]
    public void The_Othello_reference_model_is_shipped_beside_the_application()
    {
        PretrainedModels.Names.Should().Contain("othello-gpt-small");
        PretrainedModels.Path("othello-gpt-small").Should().Be(Path.Combine(AppContext.BaseDirectory, "models", "othello-gpt-small"));
    }

    [Theory]
    [MemberData(nameof(Shipped))]
    public void The_card_names_the_weights_by_their_SHA_256(string name)
    {
        var directory = PretrainedModels.Path(name);
        var card = PretrainedModels.Card(name);
        card.Name.Should().Be(name);
        card.WeightsSha256.Should().MatchRegex("^[0-9a-f]{64}$");
        ModelCard.Sha256Of(Path.Combine(directory, GptFiles.WeightsFileName)).Should().Be(card.WeightsSha256);
        File.ReadAllText(Path.Combine(directory, PretrainedModels.NarrativeCardFileName)).Should().Contain(card.WeightsSha256, "the narrative card names the same weights");
    }

    [Theory]
    [MemberData(nameof(Shipped))]
    public void The_card_file_is_exactly_what_the_card_writer_writes(string name)
    {
        // A card is written by `sae lm card`; one changed by hand afterwards (or by an older writer) differs from this.
        var path = Path.Combine(PretrainedModels.Path(name), PretrainedModels.CardFileName);
        File.ReadAllText(path).Should().Be(ModelCard.Read(path).ToJson());
    }

    [Theory]
    [MemberData(nameof(Shipped))]
    public void The_cards_layer_is_its_probes_best_and_every_layer_has_a_probe(string name)
    {
        var card = PretrainedModels.Card(name);
        using var model = GptFiles.Load(name);
        card.ProbeF1.Should().HaveCount(model.Config.Layers).And.OnlyContain(f => f >= 0 && f <= 1);
        card.ProbeF1[card.Layer].Should().Be(card.ProbeF1.Max());
    }

    [Theory]
    [MemberData(nameof(Shipped))]
    public void The_held_out_legal_move_rate_and_loss_on_a_seeded_sample_match_the_card(string name)
    {
        var card = PretrainedModels.Card(name);
        if (card.Game == "chess")
        {
            ChessHeldOutLossMatchesTheCard(card);
            return;
        }
        using var model = GptFiles.Load(name);
        // 120 of the card's held-out games (regenerated from the data set's seed), in 12 groups of 10: the
        // groups' spread gives the sampling error of the mean, and the card's figure (2,000 games) must lie
        // within four standard errors of it.
        const int Groups = 12, PerGroup = 10;
        var rates = new double[Groups];
        var losses = new double[Groups];
        for (var g = 0; g < Groups; g++)
        {
            var games = Enumerable.Range(0, PerGroup).Select(i => RandomOthelloGames.Game(card.DataSeed, card.HeldOutFirstGame + g * PerGroup + i)).ToList();
            var measured = LegalMoveRate.Measure(model, games);
            (rates[g], losses[g]) = (measured.Rate, measured.Loss);
        }
        static (double Mean, double Error) MeanAndError(double[] x)
        {
            var mean = x.Average();
            return (mean, Math.Sqrt(x.Sum(v => (v - mean) * (v - mean)) / (x.Length - 1) / x.Length));
        }
        var (rate, rateError) = MeanAndError(rates);
        var (loss, lossError) = MeanAndError(losses);
        card.LegalMoveRate.Should().NotBeNull();
        card.LegalMoveRate!.Value.Should().BeApproximately(rate, 4 * rateError + 1e-3, $"the legal-move rate of 120 held-out games is {rate:F4} ± {rateError:F4}");
        card.Loss.Should().BeApproximately(loss, 4 * lossError + 1e-3, $"the loss of 120 held-out games is {loss:F4} ± {lossError:F4}");
    }

    /// <summary>
    /// A chess card records a loss only. 120 of its held-out games, generated again from the data set's seed and the card's
    /// data settings (as `sae chess generate` wrote them: transcripts of 256 characters), in 12 groups of 10: the card's loss
    /// must lie within four standard errors of their mean.
    /// </summary>
    private static void ChessHeldOutLossMatchesTheCard(ModelCard card)
    {
        card.LegalMoveRate.Should().BeNull("chess has no legal-move rate here");
        using var model = GptFiles.Load(card.Name);
        var config = ExperimentConfig.ChessLaptop.With(card.DataConfig) with { Seed = card.DataSeed };
        const int Groups = 12, PerGroup = 10;
        var losses = new double[Groups];
        for (var g = 0; g < Groups; g++)
        {
            var transcripts = Enumerable.Range(0, PerGroup)
                .Select(i => ChessGptTranscript.Truncate(ChessExperimentGame.Transcript(config, card.HeldOutFirstGame + g * PerGroup + i), ChessGptTranscript.DefaultLength)).ToList();
            losses[g] = SequenceLoss.Measure(model, ChessSequences.From(transcripts, ChessGptTranscript.DefaultLength));
        }
        var mean = losses.Average();
        var error = Math.Sqrt(losses.Sum(v => (v - mean) * (v - mean)) / (Groups - 1) / Groups);
        card.Loss.Should().BeApproximately(mean, 4 * error + 1e-3, $"the loss of 120 held-out games is {mean:F4} ± {error:F4}");
    }

    [Fact]
    public void A_name_that_is_not_shipped_fails_naming_the_shipped_ones()
    {
        var load = () => GptFiles.Load("othello-gpt-enormous");
        load.Should().Throw<UnknownModelException>().WithMessage("*othello-gpt-enormous*shipped: *othello-gpt-small*")
            .Which.Shipped.Should().Contain("othello-gpt-small");
        var path = () => PretrainedModels.Path("othello-gpt-enormous");
        path.Should().Throw<UnknownModelException>();
        var card = () => PretrainedModels.Card("../models");
        card.Should().Throw<UnknownModelException>("a name is never a path out of the models folder");
    }
}
