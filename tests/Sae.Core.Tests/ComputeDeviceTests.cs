using Sae.Core.Autoencoders;
using Sae.Core.LanguageModels;
using Sae.Core.Native;
using Sae.Core.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Sae.Core.Tests;

public class ComputeDeviceTests
{
    /// <summary>The device the device-following tests run on: SAE_TEST_DEVICE (cpu, cuda, …), else a GPU if there is one.</summary>
    public static Device TestDevice => ComputeDevice.Parse(Environment.GetEnvironmentVariable("SAE_TEST_DEVICE") ?? "auto");

    /// <summary>PyTorch's meta device (shapes without values): a second device that every build has, to check that moves really move.</summary>
    private static readonly Device Meta = new(DeviceType.META);

    [Fact]
    public void Names_resolve_and_unusable_devices_say_why()
    {
        ComputeDevice.Parse("cpu").type.Should().Be(DeviceType.CPU);
        ComputeDevice.Parse(" CPU ").type.Should().Be(DeviceType.CPU);
        ComputeDevice.Parse("auto").type.Should().Be(cuda.is_available() ? DeviceType.CUDA : DeviceType.CPU);
        FluentActions.Invoking(() => ComputeDevice.Parse("tpu")).Should().Throw<ArgumentException>().WithMessage("Unknown device 'tpu'*cpu, cuda*");
        FluentActions.Invoking(() => ComputeDevice.Parse("cuda:x")).Should().Throw<ArgumentException>().WithMessage("Unknown device*");
        if (!cuda.is_available())
            FluentActions.Invoking(() => ComputeDevice.Parse("cuda:0")).Should().Throw<ArgumentException>().WithMessage("*no CUDA GPU*libtorch-cuda*");
        else
            FluentActions.Invoking(() => ComputeDevice.Parse($"cuda:{cuda.device_count()}")).Should().Throw<ArgumentException>().WithMessage("*numbered from 0*");
    }

    [Fact]
    public void A_language_model_moves_every_parameter_to_another_device()
    {
        var config = new GptConfig { Layers = 2, Heads = 2, ModelDimension = 16, ContextLength = 8, VocabularySize = 11, MlpDimension = 24 };
        using var model = new GptModel(config, seed: 1);
        var names = model.Parameters.Keys.ToList();
        model.MoveTo(Meta);
        model.Device.type.Should().Be(DeviceType.META);
        model.Parameters.Keys.Should().Equal(names);
        model.Parameters.Values.Should().OnlyContain(p => p.device_type == DeviceType.META && p.requires_grad);
    }

    [Fact]
    public void An_sae_moves_every_parameter_to_another_device_in_the_module_registry_too()
    {
        foreach (var sae in new SparseAutoencoder[] { new StandardSae(16, 64, 3), new GatedSae(16, 64, 3), new TopKSae(16, 64, 4, 3), JumpReluSae.ForBatchTopK(16, 64, 3) })
            using (sae)
            {
                var shapes = sae.Parameters.ToDictionary(p => p.Key, p => p.Value.shape);
                sae.MoveTo(Meta);
                sae.Device.type.Should().Be(DeviceType.META);
                foreach (var (name, parameter) in sae.Parameters)
                {
                    parameter.device_type.Should().Be(DeviceType.META, $"{sae.Architecture} {name}");
                    parameter.requires_grad.Should().BeTrue(name);
                    parameter.shape.Should().Equal(shapes[name], name);
                }
                // The module's own registry (what state dicts and generic optimisers read) holds the moved parameters, not stale ones.
                sae.named_parameters().Should().OnlyContain(p => p.parameter.device_type == DeviceType.META);
                sae.named_parameters().Select(p => p.name).Should().BeEquivalentTo(shapes.Keys);
            }
    }

    [Fact]
    public void Training_and_files_follow_the_device_chosen_by_the_setting()
    {
        var device = TestDevice;
        var config = new GptConfig { Layers = 1, Heads = 2, ModelDimension = 16, ContextLength = 8, VocabularySize = 11, MlpDimension = 24 };
        using var model = new GptModel(config, seed: 2);
        model.MoveTo(device);
        var tokens = Enumerable.Range(0, 8 * 9).Select(i => (long)(i * 7 % 11)).ToArray();
        GptTraining.Train(model, new TokenSequences(tokens, 8, 9), new GptTrainingOptions { Steps = 3, BatchSize = 4, WarmupSteps = 1 });
        model.Parameters.Values.Should().OnlyContain(p => p.device.type == device.type);

        using var trainer = SaeTrainers.Create("standard", 16, 32, 0.1, true, 6, 2, null, 1, seed: 4, device: device);
        using var activations = randn([64, 16], generator: new Generator(5));
        using var source = new Sae.Core.Activations.TensorActivations(activations);
        SaeTraining.Run([trainer], source, new TrainingOptions { BatchSize = 16, Steps = 6, Seed = 6 });
        trainer.Sae.Device.type.Should().Be(device.type);

        var dir = Path.Combine(Path.GetTempPath(), "device-" + Guid.NewGuid().ToString("N"));
        try
        {
            SaeFiles.Save(trainer.Sae, dir);
            using var loaded = SaeFiles.Load(dir, device);
            loaded.Device.type.Should().Be(device.type);
            using var batch = activations[..8].to(device);
            using var a = trainer.Sae.Reconstruct(batch);
            using var b = loaded.Reconstruct(batch);
            a.allclose(b, rtol: 0, atol: 0).Should().BeTrue("the saved SAE reconstructs as the trained one");
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }
}
