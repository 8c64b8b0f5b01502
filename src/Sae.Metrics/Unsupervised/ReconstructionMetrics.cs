using Sae.Core.Activations;
using Sae.Core.Autoencoders;
using static TorchSharp.torch;
using Sae.Core.Native;
using TorchSharp;

namespace Sae.Metrics.Unsupervised;

/// <summary>
/// How well an SAE reconstructs a set of activations, and how sparsely (docs/reference.md §4):
/// L0 = mean number of non-zero features per activation; fraction of variance explained =
/// 1 − Σ_d Var(x − x̂)_d / Σ_d Var(x)_d with variances about the mean; MSE = mean over all elements of
/// (x − x̂)²; a feature is alive if it fired (was non-zero) at least once on these activations.
/// </summary>
/// <param name="Samples">The number of activations measured.</param>
/// <param name="L0">Mean active features per activation.</param>
/// <param name="FractionOfVarianceExplained">1 − residual variance / activation variance, summed over dimensions.</param>
/// <param name="Mse">Mean squared error per element.</param>
/// <param name="AliveFeatures">Features that fired at least once.</param>
/// <param name="DeadFeatures">Features that never fired.</param>
/// <param name="DensityHistogram">
/// How often features fire (density = share of activations on which a feature is non-zero), as counts of
/// features per bin: bin 0 = dead (density 0); bin 1 = density below 10⁻⁷; bins 2..8 = the decades
/// [10⁻⁷, 10⁻⁶), …, [10⁻¹, 1] (the last includes 1). The usual "feature density" plot of SAE work.
/// </param>
public sealed record ReconstructionMetrics(long Samples, double L0, double FractionOfVarianceExplained, double Mse, int AliveFeatures, int DeadFeatures,
    IReadOnlyList<long> DensityHistogram)
{
    /// <summary>The histogram bin of a feature that fired <paramref name="fired"/> times in <paramref name="samples"/> activations (see <see cref="DensityHistogram"/>).</summary>
    public static int DensityBin(long fired, long samples)
    {
        if (fired <= 0) return 0;
        var density = (double)fired / samples;
        if (density < 1e-7) return 1;
        return Math.Min(8, 2 + (int)Math.Floor(Math.Log10(density) + 7 + 1e-12));
    }

    /// <summary>Measures <paramref name="sae"/> on every row of <paramref name="source"/>, <paramref name="batchSize"/> rows at a time.</summary>
    /// <exception cref="ArgumentException">The activations' dimension is not the SAE's.</exception>
    public static ReconstructionMetrics Measure(ISparseAutoencoder sae, IActivationSource source, int batchSize = 4096, CancellationToken cancellationToken = default)
    {
        if (source.Dimension != sae.InputDimension)
            throw new ArgumentException($"The SAE takes d = {sae.InputDimension}; the activations have d = {source.Dimension}.");
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        using var noGrad = no_grad();
        var d = source.Dimension;
        using var sumX = zeros(d, float64);
        using var sumSqX = zeros(d, float64);
        using var sumR = zeros(d, float64);
        using var sumSqR = zeros(d, float64);
        using var fired = zeros(sae.FeatureCount, int64);
        double active = 0;
        batchSize = (int)Math.Min(batchSize, source.Count);
        var rows = new long[batchSize];
        var values = new float[batchSize * d];
        for (long start = 0; start < source.Count; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var n = (int)Math.Min(batchSize, source.Count - start);
            for (var i = 0; i < n; i++) rows[i] = start + i;
            source.CopyRows(rows.AsSpan(0, n), values);
            FiniteValues.ThrowIfNonFinite(source, rows.AsSpan(0, n), values.AsSpan(0, n * d));
            var x = tensor(values, [batchSize, d]).narrow(0, 0, n).to(sae.Device);
            var f = sae.Encode(x);
            var residual = (x - sae.Decode(f)).to_type(float64);
            var x64 = x.to_type(float64);
            sumX.add_(x64.sum(dim: 0).cpu(), Scalars.One);
            sumSqX.add_(x64.pow(Scalars.Two).sum(dim: 0).cpu(), Scalars.One);
            sumR.add_(residual.sum(dim: 0).cpu(), Scalars.One);
            sumSqR.add_(residual.pow(Scalars.Two).sum(dim: 0).cpu(), Scalars.One);
            var on = f.ne(Scalars.Zero);                  // the reference's test: non-zero, not positive
            active += on.sum().item<long>();
            fired.add_(on.sum(dim: 0).cpu(), Scalars.One);
        }
        var count = (double)source.Count;
        using var rowCount = count.ToScalar();
        double Variance(Tensor sum, Tensor sumSq)
        {
            using var scope = NewDisposeScope();
            return (sumSq.div(rowCount) - sum.div(rowCount).pow(Scalars.Two)).sum().item<double>();
        }
        var counts = fired.data<long>().ToArray();
        var alive = counts.Count(c => c > 0);
        var histogram = new long[9];
        foreach (var c in counts) histogram[DensityBin(c, source.Count)]++;
        return new ReconstructionMetrics(
            source.Count,
            active / count,
            1 - Variance(sumR, sumSqR) / Variance(sumX, sumSqX),
            sumSqR.sum().item<double>() / (count * d),
            alive,
            sae.FeatureCount - alive,
            histogram);
    }
}
