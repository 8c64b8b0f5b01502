namespace Sae.Metrics.Evaluation;

/// <summary>What an <see cref="EvaluationRecord"/> measured (its <see cref="EvaluationRecord.Subject"/>, <c>subject</c> in its JSON): the names, written once.</summary>
public static class EvaluationSubjects
{
    /// <summary>An SAE's features, on the residual stream of the trained model.</summary>
    public const string Sae = "sae";

    /// <summary>An SAE trained and evaluated on a randomly initialised model of the same shape (a lower baseline).</summary>
    public const string RandomModelSae = "random_model_sae";

    /// <summary>The layer's MLP neurons taken as features (a baseline).</summary>
    public const string MlpNeurons = "mlp_neurons";

    /// <summary>A linear probe per board state property (the supervised upper baseline).</summary>
    public const string LinearProbe = "linear_probe";

    /// <summary>The baselines, in the order reports list them.</summary>
    public static IReadOnlyList<string> Baselines { get; } = [RandomModelSae, MlpNeurons, LinearProbe];
}
