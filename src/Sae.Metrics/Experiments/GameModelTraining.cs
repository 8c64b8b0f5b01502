using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sae.Core.LanguageModels;
using Sae.Core.Training;
using Sae.Metrics.LanguageModels;

namespace Sae.Metrics.Experiments;

/// <summary>
/// The game-model training step, as <c>sae lm train</c> and the experiment both take it: a fresh model of the job's shape
/// (<see cref="NewModel"/>), trained on a range of a data set's games, resuming from its checkpoint, then measured on held-out games and
/// saved with its training record (<see cref="Train"/>).
/// </summary>
public static class GameModelTraining
{
    /// <summary>A fresh model of <paramref name="job"/>'s shape, seeded by its training seed, on its device with its product type.</summary>
    /// <exception cref="ArgumentException">The shape or the options are not valid.</exception>
    public static GptModel NewModel(GameModelJob job)
    {
        job.Model.Validate();
        job.Training.Validate();
        var model = new GptModel(job.Model, job.Training.Seed) { ProductType = job.ProductType ?? ProductPrecision.Default(job.Device) };
        if (job.Device is { } device) model.MoveTo(device);
        return model;
    }

    /// <summary>
    /// Trains <paramref name="model"/> (made by <see cref="NewModel"/>) on <paramref name="games"/> as <paramref name="job"/> says, resuming from
    /// <paramref name="checkpointDirectory"/>; measures it on the held-out games; and saves it in <paramref name="outDirectory"/> with its training
    /// record in config.json: the options, targets, game counts, product type, the last step's loss (<c>train_loss</c>), the held-out loss and
    /// legal-move rate (<c>held_out_loss</c>, <c>legal_move_rate</c>; null where not measured), the seconds taken, and <paramref name="extra"/>'s fields.
    /// </summary>
    /// <exception cref="ArgumentException">The data set does not hold the job's games, or the game does not train against its targets.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the last checkpoint stays for resuming.</exception>
    public static GameModelResult Train(GptModel model, IGameDataset games, GameModelJob job, string outDirectory, string checkpointDirectory, JsonObject? extra = null,
        IProgress<GptTrainingProgress>? progress = null, Action<DamagedCheckpoint>? onDamaged = null, CancellationToken cancellationToken = default)
    {
        if (job.Games < 1 || job.FirstGame < 0 || job.FirstGame + job.Games > games.Count || job.HeldOutGames < 0 || job.HeldOutFirst < 0 || job.HeldOutFirst + job.HeldOutGames > games.Count)
            throw new ArgumentException($"The data set holds {games.Count:N0} games; the job trains on {job.Games:N0} from game {job.FirstGame:N0} and is measured on {job.HeldOutGames:N0} from game {job.HeldOutFirst:N0}.");
        var clock = Stopwatch.StartNew();
        var data = games.TrainingSequences(job.FirstGame, job.Games, job.Targets);
        var trainLoss = GptTraining.Train(model, data, job.Training, checkpointDirectory, progress, cancellationToken, onDamaged);
        var measured = job.HeldOutGames > 0 ? games.Measure(model, job.HeldOutFirst, job.HeldOutGames, cancellationToken) : null;
        var seconds = clock.Elapsed.TotalSeconds;
        var record = new JsonObject
        {
            ["train_games"] = job.Games,
            ["held_out_games"] = job.HeldOutGames,
            ["options"] = JsonSerializer.SerializeToNode(job.Training),
            ["targets"] = job.Targets,
            ["product_dtype"] = ProductPrecision.Name(model.ProductType),
            ["train_loss"] = trainLoss,
            ["held_out_loss"] = measured?.Loss,
            ["legal_move_rate"] = measured is { Rate: var rate } && double.IsFinite(rate) ? rate : null,
            ["seconds"] = Math.Round(seconds, 1),
        };
        foreach (var (key, value) in extra ?? []) record[key] = value?.DeepClone();
        GptFiles.Save(model, outDirectory, record);
        return new GameModelResult(trainLoss, measured, seconds);
    }
}
