using static TorchSharp.torch;

namespace Sae.Core.LanguageModels;

/// <summary>
/// Equal-length token sequences in memory, for next-token training: a sequence s of length L + 1
/// gives inputs s[0..L) and targets s[1..L]. Targets past a sequence's own length (padding), and
/// targets equal to <see cref="IgnoredTarget"/> (a padding token), are not scored.
/// </summary>
public sealed class TokenSequences
{
    private readonly long[] _tokens;
    private readonly int[]? _lengths;

    /// <summary>
    /// Wraps <paramref name="tokens"/>: <paramref name="count"/> sequences of <paramref name="length"/> tokens,
    /// row after row; <paramref name="lengths"/>, if given, says how many tokens of each are real (the rest are padding).
    /// </summary>
    /// <exception cref="ArgumentException">The array's size is not count · length, length is below 2, or a length is outside 0..length.</exception>
    public TokenSequences(long[] tokens, int count, int length, long? ignoredTarget = null, int[]? lengths = null)
    {
        if (lengths is not null && (lengths.Length != count || lengths.Any(l => l < 0 || l > length)))
            throw new ArgumentException($"Give {count} lengths, each between 0 and {length}.", nameof(lengths));
        _lengths = lengths;
        if (length < 2) throw new ArgumentException($"Sequences need at least 2 tokens (an input and a target); got {length}.", nameof(length));
        if (tokens.LongLength != (long)count * length)
            throw new ArgumentException($"{tokens.LongLength} tokens are not {count} sequences of {length}.", nameof(tokens));
        _tokens = tokens;
        Count = count;
        Length = length;
        IgnoredTarget = ignoredTarget;
    }

    /// <summary>Number of sequences.</summary>
    public int Count { get; }

    /// <summary>Tokens per sequence (one more than the model's input length).</summary>
    public int Length { get; }

    /// <summary>A target token that is not scored (padding), if any.</summary>
    public long? IgnoredTarget { get; }

    /// <summary>The tokens of sequence <paramref name="index"/>.</summary>
    public ReadOnlySpan<long> this[int index] => _tokens.AsSpan(index * Length, Length);

    /// <summary>Inputs [B, L-1] and targets [B, L-1] (ignored targets set to -1) of the sequences <paramref name="indices"/>, on <paramref name="device"/>.</summary>
    public (Tensor Inputs, Tensor Targets) Batch(ReadOnlySpan<int> indices, Device? device = null)
    {
        var width = Length - 1;
        var inputs = new long[indices.Length * width];
        var targets = new long[indices.Length * width];
        for (var b = 0; b < indices.Length; b++)
        {
            if ((uint)indices[b] >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(indices), indices[b], $"There are {Count} sequences.");
            var s = this[indices[b]];
            s[..width].CopyTo(inputs.AsSpan(b * width, width));
            var real = _lengths?[indices[b]] ?? Length;
            for (var j = 0; j < width; j++)
                targets[b * width + j] = j + 1 >= real || s[j + 1] == IgnoredTarget ? -1 : s[j + 1];
        }
        var shape = new long[] { indices.Length, width };
        return (tensor(inputs, shape, device: device), tensor(targets, shape, device: device));
    }
}
