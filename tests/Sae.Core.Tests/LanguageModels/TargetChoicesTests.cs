using Sae.Core.LanguageModels;
using static TorchSharp.torch;

namespace Sae.Core.Tests.LanguageModels;

public class TargetChoicesTests
{
    private static readonly GptConfig Tiny = new() { Layers = 2, Heads = 2, ModelDimension = 16, ContextLength = 8, VocabularySize = 11, MlpDimension = 20 };

    [Fact]
    public void Distributions_are_uniform_over_each_positions_choices_and_zero_where_unscored()
    {
        // Two sequences of 4 tokens: 3 target positions each.
        var choices = new ulong[] { 0b110, 0, 1UL << 10, 0b1, 0b1111, 0 };
        var data = new TokenSequences(new long[8], 2, 4, targetChoices: choices);
        data.HasTargetChoices.Should().BeTrue();
        using var q = data.TargetDistributions([1, 0], Tiny.VocabularySize);
        q.shape.Should().Equal(2, 3, 11);
        var values = q.data<float>().ToArray();
        float At(int b, int j, int v) => values[(b * 3 + j) * 11 + v];
        // Batch row 0 is sequence 1: {0}, {0,1,2,3}, nothing.
        At(0, 0, 0).Should().Be(1f);
        for (var v = 0; v < 4; v++) At(0, 1, v).Should().Be(0.25f);
        Enumerable.Range(0, 11).Sum(v => At(0, 2, v)).Should().Be(0f);
        // Batch row 1 is sequence 0: {1,2}, nothing, {10}.
        At(1, 0, 1).Should().Be(0.5f);
        At(1, 0, 2).Should().Be(0.5f);
        Enumerable.Range(0, 11).Sum(v => At(1, 1, v)).Should().Be(0f);
        At(1, 2, 10).Should().Be(1f);
    }

    [Fact]
    public void Bad_choices_give_clear_errors()
    {
        FluentActions.Invoking(() => new TokenSequences(new long[8], 2, 4, targetChoices: new ulong[5])).Should().Throw<ArgumentException>().WithMessage("*6 target choice masks*");
        var plain = new TokenSequences(new long[8], 2, 4);
        plain.HasTargetChoices.Should().BeFalse();
        FluentActions.Invoking(() => plain.TargetDistributions([0], 11)).Should().Throw<InvalidOperationException>();
        var data = new TokenSequences(new long[8], 2, 4, targetChoices: new ulong[6]);
        FluentActions.Invoking(() => data.TargetDistributions([0], 65)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => data.TargetDistributions([2], 11)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Expected_loss_is_the_mean_of_the_sampled_losses_over_the_choices()
    {
        using var model = new GptModel(Tiny, seed: 4);
        using var noGrad = no_grad();
        using var tokens = randint(Tiny.VocabularySize, [2, 8], generator: new Generator(5));
        // Every scored position chooses among {3, 7}; position 5 of row 1 is unscored.
        var mask = (1UL << 3) | (1UL << 7);
        var choices = Enumerable.Repeat(mask, 2 * 8).ToArray();
        choices[8 + 5] = 0;
        var data = new TokenSequences(new long[2 * 9], 2, 9, targetChoices: choices);
        using var q = data.TargetDistributions([0, 1], Tiny.VocabularySize);
        using var expected = model.ExpectedLoss(tokens, q);

        // Independent route: the two hard-target losses, each over the same scored positions, averaged.
        using var three = full([2, 8], 3L);
        using var seven = full([2, 8], 7L);
        three[1, 5] = tensor(-1L);
        seven[1, 5] = tensor(-1L);
        using var lossThree = model.Loss(tokens, three);
        using var lossSeven = model.Loss(tokens, seven);
        var mean = (lossThree.item<float>() + lossSeven.item<float>()) / 2;
        expected.item<float>().Should().BeApproximately(mean, 1e-5f);

        using var wrongShape = zeros(2, 8, 10);
        FluentActions.Invoking(() => model.ExpectedLoss(tokens, wrongShape)).Should().Throw<ArgumentException>().WithMessage("*[2, 8, 11]*");
    }

    [Fact]
    public void Training_against_choices_learns_the_distribution()
    {
        // Target at every position: uniform over {1, 2, 3, 4}, whatever the input.
        var random = new Random(6);
        var tokens = new long[32 * 9];
        for (var i = 0; i < tokens.Length; i++) tokens[i] = random.Next(1, 5);
        var data = new TokenSequences(tokens, 32, 9, targetChoices: Enumerable.Repeat(0b11110UL, 32 * 8).ToArray());
        var options = new GptTrainingOptions { Steps = 150, BatchSize = 8, LearningRate = 1e-2, WarmupSteps = 10, WeightDecay = 0, Seed = 7 };
        using var model = new GptModel(Tiny, options.Seed);
        var loss = GptTraining.Train(model, data, options);
        loss.Should().BeApproximately(Math.Log(4), 0.02, "the least expected loss is the entropy of the uniform choice, ln 4");
        using var noGrad = no_grad();
        using var input = tensor(new long[] { 1, 2, 3, 4, 4, 3, 2, 1 }, [1, 8]);
        using var logits = model.Logits(input);
        using var p = nn.functional.softmax(logits, -1);
        using var onChoices = p[.., .., 1..5].sum(dim: -1);
        onChoices.min().item<float>().Should().BeGreaterThan(0.98f);
    }
}
