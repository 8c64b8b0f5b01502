using Sae.Core.Architectures;
using Sae.Core.LanguageModels;
using Sae.Core.Training;
using Sae.Metrics.Experiments;
using Sae.Metrics.Slurm;

namespace Sae.Cli.Tests;

/// <summary>Each command's defaults are the library records' (written once, there), so the command and the library train alike.</summary>
public sealed class OptionDefaultsTests
{
    private static System.CommandLine.ParseResult Parse(params string[] args) => SaeCommand.Create(new StringReader("")).Parse(args);

    [Fact]
    public void Sae_train_takes_its_defaults_from_the_training_options_and_the_paper_recipe()
    {
        var parsed = Parse("train", "--activations", "a.npy", "--out", "o");
        var options = new TrainingOptions();
        var settings = new SaeTrainerSettings { Steps = 1, Seed = 0 };

        parsed.Errors.Should().BeEmpty();
        parsed.GetValue<long>("--steps").Should().Be(options.Steps);
        parsed.GetValue<int>("--batch").Should().Be(options.BatchSize);
        parsed.GetValue<ulong>("--seed").Should().Be(options.Seed);
        parsed.GetValue<long>("--checkpoint-every").Should().Be(options.CheckpointEvery);
        parsed.GetValue<long>("--warmup").Should().Be(settings.Warmup);
        parsed.GetValue<int>("--features").Should().Be(ExperimentConfig.Paper.Features);
    }

    [Fact]
    public void Sae_lm_train_takes_its_defaults_from_the_training_options_and_the_laptop_experiments_model()
    {
        var parsed = Parse("lm", "train", "--data", "g.othello", "--out", "o");
        var options = new GptTrainingOptions();
        var shape = ExperimentConfig.Laptop.Model;

        parsed.Errors.Should().BeEmpty();
        parsed.GetValue<long>("--steps").Should().Be(options.Steps);
        parsed.GetValue<int>("--batch").Should().Be(options.BatchSize);
        parsed.GetValue<double>("--lr").Should().Be(options.LearningRate);
        parsed.GetValue<long>("--warmup").Should().Be(options.WarmupSteps);
        parsed.GetValue<long>("--seed").Should().Be(options.Seed);
        parsed.GetValue<long>("--checkpoint-every").Should().Be(options.CheckpointEvery);
        (parsed.GetValue<int>("--layers"), parsed.GetValue<int>("--d-model"), parsed.GetValue<int>("--heads")).Should().Be((shape.Layers, shape.ModelDimension, shape.Heads));
    }

    [Fact]
    public void The_slurm_options_default_to_the_librarys()
    {
        Parse("slurm", "submit", "run").GetValue<int>("--cpus-per-task").Should().Be(new SlurmOptions().CpusPerTask);
    }
}
