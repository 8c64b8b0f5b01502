using System.Text.Json;
using Sae.Core.Architectures;
using Sae.Core.Autoencoders;
using Sae.Core.Training;
using Sae.Metrics.Evaluation;
using Sae.Metrics.Reports;

namespace Sae.Metrics.Tests.Reports;

public sealed class ReportFamilyTests : IDisposable
{
    /// <summary>A recipe of the test's own, registered from here: the standard SAE trained at ten times the learning rate.</summary>
    private sealed class FastStandardArchitecture : SaeArchitecture<StandardSae, PenaltyOptions>
    {
        public override string Name => "fast_standard";
        public override string Family => "Fast standard";
        public override SparsityParameter Sparsity => SparsityParameter.Penalty;
        public override PenaltyOptions Options(double value) => new(value);
        public override StandardSae Create(int dimension, int features, PenaltyOptions options, long seed) => new(dimension, features, seed);
        public override SaeTrainer CreateTrainer(StandardSae sae, PenaltyOptions options, SaeTrainerSettings settings) =>
            new StandardTrainer(sae, options.Penalty, 10 * SaeTrainerSettings.RecipeLearningRate, settings.LearningRateFactor);
        public override StandardSae CreateForLoading(SaeConfig config, string path) => new(config.InputDimension, config.FeatureCount);
        protected override string TrainerName(bool pAnneal) => "FastStandardTrainer";
    }

    private static readonly FastStandardArchitecture FastStandard = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("sae-families-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private void Write(string name, string architecture, double reconstruction)
    {
        var record = new EvaluationRecord
        {
            Subject = "sae", Name = name, Architecture = architecture, Features = 32, Layer = 1, TrainPositions = 10, TestPositions = 10, L0 = 4,
            FractionOfVarianceExplained = 0.5, Bsps = [new BspScores("mine_yours_blank_masked", 0.25, reconstruction, reconstruction, 0.1)],
        };
        Directory.CreateDirectory(Path.Combine(_dir, "eval"));
        File.WriteAllText(Path.Combine(_dir, "eval", name + ".json"), JsonSerializer.Serialize(record));
    }

    [Fact]
    public void Each_sae_is_reported_in_the_family_of_the_architecture_that_trained_it_a_registered_one_of_the_users_included()
    {
        SaeArchitectures.Register(FastStandard);
        Write("fast_standard-0.1", "standard", 0.625);      // saved as a standard SAE, trained by the registered recipe
        Write("fast_standard-anneal-1E-05", "standard", 0.5);
        Write("standard-0.05", "standard", 0.375);
        Write("batchtopk-4", "jumprelu", 0.25);            // BatchTopK SAEs save as JumpReLU
        Write("jumprelu-0.01", "jumprelu", 0.125);

        var rows = ExperimentReport.Write(_dir).Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal)).Select(l => l.Split(" | ")[0][2..]).ToList();
        rows.Should().Contain(["Fast standard", "Fast standard + p-anneal", "Standard", "BatchTopK", "JumpReLU"]);
        rows.Should().NotContain("TopK", "topk is not taken for the prefix of batchtopk");
    }
}
