namespace Sae.Metrics.LanguageModels;

/// <summary>
/// What a game model's next-token loss is taken against (<see cref="Experiments.GameModelJob.Targets"/>, <c>model_targets</c> in an experiment's
/// config.json, <c>sae lm train --targets</c>).
/// </summary>
public static class ModelTargets
{
    /// <summary>
    /// The uniform distribution over the legal moves each next move was drawn from: the same objective as <see cref="Sampled"/> in
    /// expectation, learnt in far fewer steps (games of uniformly random legal moves only: Othello).
    /// </summary>
    public const string LegalMoves = "legal-moves";

    /// <summary>The moves (or characters) the games played: plain next-token training, as the reference's models were trained.</summary>
    public const string Sampled = "sampled";

    /// <summary>Both names, for messages and option choices.</summary>
    public static IReadOnlyList<string> All { get; } = [LegalMoves, Sampled];
}
