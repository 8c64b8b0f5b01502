using Sae.Metrics.Probes;
using static TorchSharp.torch;

namespace Sae.Metrics.Tests.Supervised;

/// <summary>
/// A probe whose predictions are given in advance: its one input column is the row index of the
/// position, and it returns that row of <see cref="Predictions"/> [N, variants, S].
/// </summary>
internal sealed class FixedProbe(bool[,,] predictions, IReadOnlyList<ProbeVariant> variants) : IBoardStateProbe
{
    public bool[,,] Predictions { get; } = predictions;

    public int InputDimension => 1;

    public int Elements => Predictions.GetLength(2);

    public IReadOnlyList<ProbeVariant> Variants { get; } = variants;

    public Tensor Predict(Tensor acts_nD)
    {
        var rows = acts_nD.select(1, 0).data<float>().ToArray().Select(r => (int)r).ToArray();
        var v = Predictions.GetLength(1);
        var result = new bool[rows.Length * v * Elements];
        for (var i = 0; i < rows.Length; i++)
            for (var j = 0; j < v; j++)
                for (var e = 0; e < Elements; e++)
                    result[(i * v + j) * Elements + e] = Predictions[rows[i], j, e];
        return tensor(result, [rows.Length, v, Elements]);
    }

    /// <summary>The input column: row indices 0 … n − 1.</summary>
    public static Tensor RowIndices(int n) => arange(n, float32).unsqueeze(1);
}
