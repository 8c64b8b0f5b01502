using Sae.Core.LanguageModels;
using Sae.Metrics.Evaluation;

namespace Sae.Metrics.Experiments;

/// <summary>
/// The measurement behind a game model's card (<c>sae lm card</c>): on the held-out games of the data set it trained on,
/// its loss and legal-move rate, and a linear probe of the game's headline board state property at every layer.
/// </summary>
public static class GameModelMeasurement
{
    /// <summary>
    /// Measures <paramref name="model"/> on games [<paramref name="first"/>, <paramref name="first"/> + <paramref name="heldOut"/>) of
    /// <paramref name="games"/> (opened with <paramref name="bsp"/>): the loss and legal-move rate on all of them; per layer, a linear
    /// probe of <paramref name="bsp"/> trained on the first <paramref name="probeGames"/> and scored on the next as many.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="games">The data set, opened with <paramref name="bsp"/> as its property.</param>
    /// <param name="bsp">The property probed (what the dataset labels); usually the game's headline one.</param>
    /// <param name="first">The first held-out game.</param>
    /// <param name="heldOut">How many held-out games.</param>
    /// <param name="probeGames">The probes' train games, and as many test games after them.</param>
    /// <param name="progress">Receives a line as each part starts and each probe's F1.</param>
    /// <param name="cancellationToken">Stops between parts.</param>
    /// <exception cref="ArgumentException">The probes need more games than are held out, or a count is below 1.</exception>
    public static GameModelMeasures Measure(GptModel model, IGameDataset games, string bsp, long first, int heldOut, int probeGames,
        IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(heldOut, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(probeGames, 1);
        if (2 * (long)probeGames > heldOut)
            throw new ArgumentException($"{probeGames} probe games: the probes need twice as many held-out games, and there are {heldOut}.", nameof(probeGames));
        progress?.Report($"measuring the loss and any legal-move rate on {heldOut:N0} held-out games");
        var measured = games.Measure(model, first, heldOut, cancellationToken);
        var train = games.Positions(first, probeGames);
        var test = games.Positions(first + probeGames, probeGames);
        var f1 = new List<double>();
        for (var layer = 0; layer < model.Config.Layers; layer++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Report($"training and scoring the linear probe of {bsp} at layer {layer}");
            f1.Add(BoardStateEvaluation.EvaluateLinearProbe(model, layer, train, test, cancellationToken: cancellationToken).Bsps[0].ReconstructionF1);
            progress?.Report($"  F1 {f1[^1]:F4}");
        }
        return new GameModelMeasures(measured, bsp, f1);
    }
}
