using System.Text.Json.Nodes;
using Sae.Core.Activations;
using Sae.Core.Architectures;
using Sae.Core.Autoencoders;
using Sae.Core.Training;
using static TorchSharp.torch;

namespace Sae.Core.Tests.Architectures;

public sealed class SaeArchitecturesTests : IDisposable
{
    private static readonly SquaredReluArchitecture SquaredRelu = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("sae-arch-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static InMemoryActivations Data(int rows, int dimension)
    {
        using var generator = new Generator(11, CPU);
        using var x = randn(rows, dimension, generator: generator);
        var values = new float[rows, dimension];
        x.data<float>().CopyTo(System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref values[0, 0], values.Length));
        return new InMemoryActivations(values);
    }

    [Fact]
    public void An_architecture_of_the_users_own_trains_saves_and_loads_back_once_registered()
    {
        SaeArchitectures.Register(SquaredRelu);
        SaeArchitectures.Get("squared_relu").Should().BeSameAs(SquaredRelu);

        using var source = Data(256, 8);
        var settings = new SaeTrainerSettings { Steps = 25, Warmup = 2, Seed = 3, LearningRate = 1e-2 };
        var options = new TrainingOptions { BatchSize = 32, Steps = 25, Seed = 1 };
        using var trainer = SaeTrainers.Create("squared_relu", 8, 16, 0.01, pAnneal: false, steps: 25, annealStart: 0, learningRate: 1e-2, warmup: 2, seed: 3);
        trainer.Sae.Should().BeOfType<SquaredReluSae>();
        using var initial = trainer.Sae.W_enc.detach().clone();
        SaeTraining.Run([trainer], source, options);
        trainer.Sae.W_enc.allclose(initial, rtol: 0, atol: 0).Should().BeFalse("the SAE trained");

        var training = SquaredRelu.Describe(trainer, settings, options);
        training["trainer"]!.GetValue<string>().Should().Be("SquaredReluTrainer");
        training["l1_penalty"]!.GetValue<double>().Should().Be(0.01);
        training["k"].Should().BeNull();
        trainer.Sae.Save(_dir, training);
        SaeFiles.ReadConfig(_dir).Should().Match<SaeConfig>(c => c.Architecture == "squared_relu" && c.ActivationFunction == "relu" && c.K == null);

        using var loaded = SparseAutoencoder.Load(_dir);
        loaded.Should().BeOfType<SquaredReluSae>();
        loaded.Parameters.Keys.Should().Equal(trainer.Sae.Parameters.Keys);
        foreach (var (name, parameter) in trainer.Sae.Parameters)
            loaded.Parameters[name].allclose(parameter, rtol: 0, atol: 0).Should().BeTrue($"{name} loads as it was saved");
        using var x = randn(5, 8, generator: new Generator(4, CPU));
        using var expected = trainer.Sae.Encode(x);
        using var features = loaded.Encode(x);
        features.allclose(expected, rtol: 0, atol: 0).Should().BeTrue();
        // Squared: worked out from the loaded weights by hand, and not what a standard SAE of the same weights gives.
        using var pre = (x - loaded.b_dec).matmul(loaded.W_enc) + ((SquaredReluSae)loaded).b_enc;
        using var byHand = pre.relu() * pre.relu();
        features.allclose(byHand, rtol: 1e-5, atol: 1e-6).Should().BeTrue();
        features.allclose(pre.relu()).Should().BeFalse();
    }

    [Fact]
    public void The_built_in_architectures_are_registered_under_their_file_and_command_line_names()
    {
        SaeArchitectures.All.Take(5).Select(a => (a.Name, a.Family, a.SaeType)).Should().Equal(
            ("standard", "Standard", typeof(StandardSae)), ("gated", "Gated", typeof(GatedSae)), ("topk", "TopK", typeof(TopKSae)),
            ("batchtopk", "BatchTopK", typeof(JumpReluSae)), ("jumprelu", "JumpReLU", typeof(JumpReluSae)));
        SaeArchitectures.Names(a => a.AnnealsP).Should().Be("standard and gated");
        SaeArchitectures.Gated.FamilyLabel(pAnneal: true).Should().Be("Gated + p-anneal");
        FluentActions.Invoking(() => SaeArchitectures.Get("relu2")).Should().Throw<ArgumentException>()
            .WithMessage("*standard, gated, topk, batchtopk, jumprelu*not 'relu2'*");
    }

    [Fact]
    public void A_second_architecture_under_a_registered_name_is_refused()
    {
        FluentActions.Invoking(() => SaeArchitectures.Register(new TopKArchitecture())).Should().Throw<ArgumentException>().WithMessage("*'topk' is already registered*");
        FluentActions.Invoking(() => SaeArchitectures.Register(SaeArchitectures.TopK)).Should().NotThrow("registering the same instance again does nothing");
    }

    [Fact]
    public void K_comes_from_the_sweep_value_typed_and_checked_not_truncated()
    {
        SaeArchitectures.TopK.Options(4).K.Should().Be(4);
        FluentActions.Invoking(() => SaeArchitectures.TopK.Options(4.5)).Should().Throw<ArgumentException>().WithMessage("*whole number*4.5*");
        FluentActions.Invoking(() => SaeArchitectures.BatchTopK.Options(0)).Should().Throw<ArgumentException>();
        var settings = new SaeTrainerSettings { Steps = 10, Warmup = 1, Seed = 2 };
        using var trainer = SaeArchitectures.BatchTopK.CreateTrainer(4, 8, 3, settings);
        ((BatchTopKTrainer)trainer).K.Should().Be(3);
        trainer.Sae.Architecture.Should().Be("jumprelu", "a BatchTopK SAE is a JumpReLU SAE");
        SaeArchitectures.BatchTopK.Describe(trainer, settings, new TrainingOptions())["k"]!.GetValue<int>().Should().Be(3);
        FluentActions.Invoking(() => SaeArchitectures.TopK.CreateTrainer(4, 8, 2, settings with { ResampleSteps = 5 })).Should().Throw<ArgumentException>().WithMessage("*Resampling applies to standard SAEs*");
    }

    [Fact]
    public void A_trainer_owns_its_sae_and_disposing_both_is_harmless()
    {
        var trainer = SaeArchitectures.Standard.CreateTrainer(4, 8, 0.1, new SaeTrainerSettings { Steps = 10, Warmup = 1, Seed = 2 });
        var sae = trainer.Sae;
        trainer.Dispose();
        sae.W_dec.IsInvalid.Should().BeTrue("the trainer disposed its SAE");
        FluentActions.Invoking(sae.Dispose).Should().NotThrow();
    }
}
