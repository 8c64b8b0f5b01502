using Sae.Core.LanguageModels;
using Sae.Core;
using static TorchSharp.torch;

namespace Sae.Core.Tests.LanguageModels;

public class GptModelTests
{
    private static readonly GptConfig Tiny = new() { Layers = 3, Heads = 2, ModelDimension = 16, ContextLength = 10, VocabularySize = 13, MlpDimension = 20 };

    private static Tensor Tokens(long seed, int batch = 3, int length = 10) =>
        randint(Tiny.VocabularySize, [batch, length], generator: new Generator((ulong)seed));

    [Fact]
    public void Attention_is_causal_a_later_token_never_changes_earlier_logits()
    {
        using var model = new GptModel(Tiny, seed: 1);
        using var noGrad = no_grad();
        using var a = Tokens(2);
        using var b = a.clone();
        b[.., 6] = (a[.., 6] + 1).remainder(Tiny.VocabularySize);
        using var la = model.Logits(a);
        using var lb = model.Logits(b);
        la[.., ..6].allclose(lb[.., ..6], rtol: 0, atol: 0).Should().BeTrue("positions before the change see the same prefix");
        la[.., 6].allclose(lb[.., 6], atol: 1e-4).Should().BeFalse("the changed position sees the new token");
    }

    [Fact]
    public void Residual_stream_at_a_layer_equals_the_full_forward_pass_up_to_it()
    {
        using var model = new GptModel(Tiny, seed: 3);
        using var noGrad = no_grad();
        using var tokens = Tokens(4);
        // Independent route: the last layer's residual, normed and unembedded, gives the logits.
        using var last = model.ResidualStream(tokens, Tiny.Layers - 1);
        using var normed = nn.functional.layer_norm(last, [Tiny.ModelDimension], model.Parameters["transformer.ln_f.weight"], model.Parameters["transformer.ln_f.bias"], 1e-5);
        using var logits = normed.matmul(model.Parameters["transformer.wte.weight"].t());
        using var full = model.Logits(tokens);
        logits.allclose(full, atol: 1e-5).Should().BeTrue();
        // Patching after layer 0 with the identity leaves the loss unchanged; the patch sees layer 0's residual.
        using var layer0 = model.ResidualStream(tokens, 0);
        Tensor? seen = null;
        using var targets = Tokens(5);
        using var clean = model.Loss(tokens, targets);
        using var patched = model.Loss(tokens, targets, 0, x => { seen = x.clone().DetachFromDisposeScope(); return x; });
        patched.item<float>().Should().Be(clean.item<float>());
        seen!.allclose(layer0, rtol: 0, atol: 0).Should().BeTrue();
        seen.Dispose();
    }

    [Fact]
    public void Zero_patch_changes_the_loss_and_mlp_activations_have_the_mlp_width()
    {
        using var model = new GptModel(Tiny, seed: 6);
        using var noGrad = no_grad();
        using var tokens = Tokens(7);
        using var targets = Tokens(8);
        using var clean = model.Loss(tokens, targets);
        using var zero = model.Loss(tokens, targets, 1, x => zeros_like(x));
        zero.item<float>().Should().NotBe(clean.item<float>());
        using var mlp = model.MlpActivations(tokens, 2);
        mlp.shape.Should().Equal(3, 10, Tiny.MlpDimension);
        mlp.min().item<float>().Should().BeGreaterThan(-0.2f, "GELU is bounded below by about -0.17");
    }

    [Fact]
    public void Ignored_targets_do_not_count()
    {
        using var model = new GptModel(Tiny, seed: 9);
        using var noGrad = no_grad();
        using var tokens = Tokens(10, batch: 1);
        using var targets = Tokens(11, batch: 1);
        using var partial = targets.clone();
        partial[0, 5..] = tensor(-1L);
        using var logits = model.Logits(tokens);
        using var expected = nn.functional.cross_entropy(logits[0, ..5], targets[0, ..5]);
        using var loss = model.Loss(tokens, partial);
        loss.item<float>().Should().BeApproximately(expected.item<float>(), 1e-5f);
    }

    [Fact]
    public void Bad_inputs_give_clear_errors()
    {
        using var model = new GptModel(Tiny);
        using var tooLong = zeros([1, 11], int64);
        using var outOfVocabulary = full([1, 3], 13L);
        using var floats = zeros(1, 3);
        FluentActions.Invoking(() => model.Logits(tooLong)).Should().Throw<ArgumentException>().WithMessage("*context of 10*");
        FluentActions.Invoking(() => model.Logits(outOfVocabulary)).Should().Throw<ArgumentException>().WithMessage("*0..12*");
        FluentActions.Invoking(() => model.Logits(floats)).Should().Throw<ArgumentException>().WithMessage("*int64*");
        FluentActions.Invoking(() => model.ResidualStream(floats, 3)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new GptModel(Tiny with { Heads = 3 })).Should().Throw<ArgumentException>().WithMessage("*divide*");
    }

    [Fact]
    public void A_tiny_model_overfits_a_tiny_data_set_and_training_is_seeded()
    {
        var tokens = new long[4 * 9];
        var random = new Random(1);
        for (var i = 0; i < tokens.Length; i++) tokens[i] = random.Next(1, Tiny.VocabularySize);
        var data = new TokenSequences(tokens, 4, 9);
        var options = new GptTrainingOptions { Steps = 150, BatchSize = 4, LearningRate = 1e-2, WarmupSteps = 10, WeightDecay = 0, Seed = 3 };
        using var a = new GptModel(Tiny, options.Seed);
        using var b = new GptModel(Tiny, options.Seed);
        var lossA = GptTraining.Train(a, data, options);
        var lossB = GptTraining.Train(b, data, options);
        lossA.Should().BeLessThan(0.05, "four random sequences are memorised");
        lossB.Should().Be(lossA);
        foreach (var (name, p) in a.Parameters) p.allclose(b.Parameters[name], rtol: 0, atol: 0).Should().BeTrue(name);
    }

    [Fact]
    public void A_resumed_run_equals_an_uninterrupted_one()
    {
        var tokens = new long[16 * 9];
        var random = new Random(2);
        for (var i = 0; i < tokens.Length; i++) tokens[i] = random.Next(0, Tiny.VocabularySize);
        var data = new TokenSequences(tokens, 16, 9, ignoredTarget: 0);
        var options = new GptTrainingOptions { Steps = 12, BatchSize = 4, WarmupSteps = 3, Seed = 5, CheckpointEvery = 5 };
        var dir = Path.Combine(Path.GetTempPath(), "gpt-resume-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var whole = new GptModel(Tiny, 5);
            GptTraining.Train(whole, data, options);

            using var first = new GptModel(Tiny, 5);
            using var cancel = new CancellationTokenSource();
            var progress = new InlineProgress<GptTrainingProgress>(p => { if (p.Step == 6) cancel.Cancel(); });
            FluentActions.Invoking(() => GptTraining.Train(first, data, options, dir, progress, cancel.Token)).Should().Throw<OperationCanceledException>();
            using var resumed = new GptModel(Tiny, 99); // other initial weights: the checkpoint replaces them
            GptTraining.Train(resumed, data, options, dir);
            foreach (var (name, p) in whole.Parameters) p.allclose(resumed.Parameters[name], rtol: 0, atol: 0).Should().BeTrue(name);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }
}
