using Sae.Core.Activations;
using Sae.Core.Architectures;
using Sae.Core.Autoencoders;
using Sae.Core.Training;

namespace Sae.Core.Tests.Training;

public sealed class SaeSweepTrainingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sae-sweep-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static InMemoryActivations Data()
    {
        using var data = new SyntheticDictionary(16, 24, 0.15, seed: 2);
        return data.SampleActivations(400);
    }

    private static SaeTrainerSettings Settings(long seed, bool pAnneal = false) => new() { Steps = 20, Warmup = 3, Seed = seed, PAnneal = pAnneal };

    [Fact]
    public void Each_member_is_saved_as_training_it_by_hand_gives_and_the_callback_comes_before_its_cfg_json()
    {
        using var source = Data();
        var options = new TrainingOptions { BatchSize = 32, Steps = 20, Seed = 7 };
        SaeSweepMember[] members =
        [
            new(SaeArchitectures.Standard, 0.1, Settings(1, pAnneal: true), Path.Combine(_dir, "standard")),
            new(SaeArchitectures.TopK, 4, Settings(2), Path.Combine(_dir, "topk")),
        ];
        var seen = new List<(int, bool)>();

        SaeSweepTraining.Train(source, 32, members, options, trained: (i, trainer) =>
            seen.Add((i, File.Exists(Path.Combine(members[i].Directory, SaeFiles.ConfigFileName)))));

        seen.Should().Equal((0, false), (1, false));
        var byHand = members.Select(m => m.Architecture.CreateTrainer(16, 32, m.Value, m.Settings)).ToList();
        try
        {
            SaeTraining.Run(byHand, source, options);
            for (var i = 0; i < members.Length; i++)
            {
                using var saved = SparseAutoencoder.Load(members[i].Directory);
                foreach (var (name, parameter) in byHand[i].Sae.Parameters)
                    saved.Parameters[name].data<float>().ToArray().Should().Equal(parameter.data<float>().ToArray(), $"{members[i].Directory}: {name}");
            }
        }
        finally
        {
            foreach (var trainer in byHand) trainer.Dispose();
        }
        SaeFiles.ReadConfig(members[1].Directory).Architecture.Should().Be("topk");
    }

    [Fact]
    public void An_empty_sweep_or_a_member_its_architecture_refuses_is_an_argument_error()
    {
        using var source = Data();
        var none = () => SaeSweepTraining.Train(source, 32, [], new TrainingOptions());
        none.Should().Throw<ArgumentException>();
        var annealedTopK = () => SaeSweepTraining.Train(source, 32, [new(SaeArchitectures.TopK, 4, Settings(1, pAnneal: true), _dir)], new TrainingOptions { Steps = 2, BatchSize = 8 });
        annealedTopK.Should().Throw<ArgumentException>();
        File.Exists(Path.Combine(_dir, SaeFiles.ConfigFileName)).Should().BeFalse();
    }
}
