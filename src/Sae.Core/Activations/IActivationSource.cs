namespace Sae.Core.Activations;

/// <summary>
/// A table of activation vectors [Count, Dimension] that training reads rows of, in any order. Rows
/// are float32. Implementations stream from disk where the table is larger than memory.
/// </summary>
public interface IActivationSource : IDisposable
{
    /// <summary>d, the length of each activation vector.</summary>
    int Dimension { get; }

    /// <summary>What these activations are, for messages: a file or store path where there is one.</summary>
    string Description => GetType().Name;

    /// <summary>The number of rows.</summary>
    long Count { get; }

    /// <summary>Copies rows <paramref name="rows"/> into <paramref name="destination"/> (rows.Length · d floats, row after row).</summary>
    void CopyRows(ReadOnlySpan<long> rows, Span<float> destination);
}
