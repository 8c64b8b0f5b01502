using static TorchSharp.torch;

namespace Sae.Core.Tests.Training;

/// <summary>
/// Activations made from a known sparse dictionary: each sample is a non-negative combination of a
/// few of <see cref="Directions"/> (unit vectors), the ground truth an SAE should recover.
/// </summary>
internal sealed class SyntheticDictionary : IDisposable
{
    public SyntheticDictionary(int dimension, int atoms, double activeProbability, long seed)
    {
        Generator = new Generator((ulong)seed, CPU);
        var directions = randn(atoms, dimension, float32, generator: Generator);
        Directions = directions.div_(directions.norm(1, keepdim: true, p: 2));
        ActiveProbability = activeProbability;
    }

    public Generator Generator { get; }

    /// <summary>[atoms, d] unit rows.</summary>
    public Tensor Directions { get; }

    public double ActiveProbability { get; }

    /// <summary>[n, d] samples: each atom active with <see cref="ActiveProbability"/>, magnitude uniform in [0.5, 1.5).</summary>
    public Tensor Sample(int n)
    {
        using var scope = NewDisposeScope();
        var active = rand(n, Directions.shape[0], float32, generator: Generator).lt(ActiveProbability).to_type(ScalarType.Float32);
        var magnitude = rand(n, Directions.shape[0], float32, generator: Generator).add_(0.5);
        return active.mul_(magnitude).matmul(Directions).MoveToOuterDisposeScope();
    }

    /// <summary><paramref name="n"/> samples (<see cref="Sample"/>) as an in-memory activation table.</summary>
    public Sae.Core.Activations.InMemoryActivations SampleActivations(int n)
    {
        using var samples = Sample(n);
        var values = new float[n, Directions.shape[1]];
        samples.data<float>().CopyTo(System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref values[0, 0], values.Length));
        return new Sae.Core.Activations.InMemoryActivations(values);
    }

    /// <summary>The share of true directions that some row of <paramref name="decoder"/> [F, d] matches with cosine ≥ <paramref name="threshold"/>.</summary>
    public double Recovered(Tensor decoder, double threshold = 0.9)
    {
        using var scope = NewDisposeScope();
        var unit = decoder.detach() / decoder.detach().norm(1, keepdim: true, p: 2);
        var best = Directions.matmul(unit.t()).max(1).values;
        return best.ge(threshold).to_type(ScalarType.Float32).mean().item<float>();
    }

    public void Dispose()
    {
        Directions.Dispose();
        Generator.Dispose();
    }
}
