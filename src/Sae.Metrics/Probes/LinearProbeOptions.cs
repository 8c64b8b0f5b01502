namespace Sae.Metrics.Probes;

/// <summary>How a <see cref="LinearProbe"/> is trained: Adam on the mean binary cross-entropy with logits.</summary>
/// <param name="Epochs">Passes over the train split.</param>
/// <param name="BatchSize">Positions per step; 0 trains full-batch (one step per epoch).</param>
/// <param name="LearningRate">Adam's learning rate.</param>
/// <param name="WeightDecay">L2 penalty on the weights (Adam's weight decay), 0 for none.</param>
/// <param name="Seed">Seed of the initial weights and of the minibatch order; the same seed gives the same probe.</param>
public sealed record LinearProbeOptions(int Epochs = 100, int BatchSize = 0, double LearningRate = 1e-2, double WeightDecay = 0, ulong Seed = 42);
