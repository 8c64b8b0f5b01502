using Sae.Core.LanguageModels;
using static TorchSharp.torch;

namespace Sae.Metrics.Evaluation;

/// <summary>
/// A model's residual stream after one block at the sampled positions of a train and a test split,
/// read once and shared by every SAE and probe evaluated on that layer.
/// </summary>
public sealed class SplitResiduals : IDisposable
{
    private SplitResiduals(int layer, Tensor train, Tensor test) => (Layer, Train, Test) = (layer, train, test);

    /// <summary>The block whose output this is.</summary>
    public int Layer { get; }

    /// <summary>Train-split residuals [rows, d], float32 on the CPU.</summary>
    public Tensor Train { get; }

    /// <summary>Test-split residuals [rows, d], float32 on the CPU.</summary>
    public Tensor Test { get; }

    /// <summary>Reads the residual stream after block <paramref name="layer"/> of <paramref name="model"/> on both splits.</summary>
    public static SplitResiduals Read(GptModel model, int layer, GamePositions train, GamePositions test, int batchSize = 64, CancellationToken cancellationToken = default)
    {
        var trainRows = train.Activations(t => model.ResidualStream(t, layer), model.Device, batchSize, cancellationToken);
        try
        {
            return new SplitResiduals(layer, trainRows, test.Activations(t => model.ResidualStream(t, layer), model.Device, batchSize, cancellationToken));
        }
        catch
        {
            trainRows.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Train.Dispose();
        Test.Dispose();
    }
}
