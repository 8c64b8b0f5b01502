using Sae.Core.LanguageModels;
using Sae.Metrics.LanguageModels;
using static TorchSharp.torch;

namespace Sae.Metrics.Experiments;

/// <summary>
/// One training of a game model, as <see cref="GameModelTraining"/> takes it: the shape, how it trains and against what, which games of
/// a data set it trains on and which it is measured on, and where it computes. <c>sae lm train</c> and the experiment's "train model"
/// step both describe their training with it.
/// </summary>
public sealed record GameModelJob
{
    /// <summary>The model's shape.</summary>
    public required GptConfig Model { get; init; }

    /// <summary>How it trains (its seed seeds the initial weights too).</summary>
    public GptTrainingOptions Training { get; init; } = new();

    /// <summary>What the loss is taken against: <see cref="ModelTargets.LegalMoves"/> or <see cref="ModelTargets.Sampled"/>.</summary>
    public string Targets { get; init; } = ModelTargets.LegalMoves;

    /// <summary>The first game trained on (0-based, in the data set).</summary>
    public long FirstGame { get; init; }

    /// <summary>How many games it trains on.</summary>
    public required int Games { get; init; }

    /// <summary>The first game it is measured on after training.</summary>
    public long HeldOutFirst { get; init; }

    /// <summary>
    /// The held-out games at a data file's end when a command trains a model on the whole file (<c>sae lm train --held-out</c>)
    /// and measures it again there (<c>sae lm card --held-out</c>): 2,000.
    /// </summary>
    public const int DefaultFileHeldOutGames = 2000;

    /// <summary>How many games it is measured on (0: not measured).</summary>
    public int HeldOutGames { get; init; }

    /// <summary>Where the model trains; null for the CPU.</summary>
    public Device? Device { get; init; }

    /// <summary>The element type of its matrix products; null for the device's default (<see cref="Sae.Core.Training.ProductPrecision.Default"/>).</summary>
    public ScalarType? ProductType { get; init; }
}
