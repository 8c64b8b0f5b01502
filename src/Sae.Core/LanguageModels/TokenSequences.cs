using System.Numerics;
using static TorchSharp.torch;

namespace Sae.Core.LanguageModels;

/// <summary>
/// Equal-length token sequences in memory, for next-token training: a sequence s of length L + 1
/// gives inputs s[0..L) and targets s[1..L]. Targets past a sequence's own length (padding), and
/// targets equal to <see cref="IgnoredTarget"/> (a padding token), are not scored.
/// Optionally each target position also carries the set of tokens the data's generator chose the
/// target from uniformly (<see cref="HasTargetChoices"/>): synthetic games of uniformly random legal
/// moves have exactly that next-token distribution, and training against it
/// (<see cref="GptModel.ExpectedLoss"/>) minimises the expectation of the sampled-target loss with
/// far less noise.
/// </summary>
public sealed class TokenSequences
{
    private readonly long[] _tokens;
    private readonly int[]? _lengths;
    private readonly ulong[]? _targetChoices;

    /// <summary>
    /// Wraps <paramref name="tokens"/>: <paramref name="count"/> sequences of <paramref name="length"/> tokens,
    /// row after row; <paramref name="lengths"/>, if given, says how many tokens of each are real (the rest are padding).
    /// </summary>
    /// <param name="tokens">The sequences, row after row.</param>
    /// <param name="count">Number of sequences.</param>
    /// <param name="length">Tokens per sequence.</param>
    /// <param name="ignoredTarget">A padding token whose targets are not scored.</param>
    /// <param name="lengths">Per sequence, how many of its tokens are real.</param>
    /// <param name="targetChoices">
    /// Per sequence and target position (count · (length − 1) entries), a bit mask over token ids
    /// 0..63 of the tokens the target was drawn from uniformly; 0 where the target is not scored.
    /// </param>
    /// <exception cref="ArgumentException">The array's size is not count · length, length is below 2, a length is outside 0..length, or the choices have the wrong size.</exception>
    public TokenSequences(long[] tokens, int count, int length, long? ignoredTarget = null, int[]? lengths = null, ulong[]? targetChoices = null)
    {
        if (targetChoices is not null && targetChoices.LongLength != (long)count * (length - 1))
            throw new ArgumentException($"Give {(long)count * (length - 1)} target choice masks (one per sequence and target position); got {targetChoices.LongLength}.", nameof(targetChoices));
        _targetChoices = targetChoices;
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

    /// <summary>Whether each target position carries the set of tokens its target was drawn from.</summary>
    public bool HasTargetChoices => _targetChoices is not null;

    /// <summary>The tokens of sequence <paramref name="index"/>.</summary>
    public ReadOnlySpan<long> this[int index] => _tokens.AsSpan(index * Length, Length);

    /// <summary>Inputs [B, L-1] and targets [B, L-1] (ignored targets set to -1) of the sequences <paramref name="indices"/>, on <paramref name="device"/>.</summary>
    public (Tensor Inputs, Tensor Targets) Batch(ReadOnlySpan<int> indices, Device? device = null)
    {
        var width = Length - 1;
        var inputs = new long[indices.Length * width];
        var targets = new long[indices.Length * width];
        WriteBatch(indices, inputs, targets);
        var shape = new long[] { indices.Length, width };
        return (tensor(inputs, shape, device: device), tensor(targets, shape, device: device));
    }

    /// <summary>
    /// Writes what <see cref="Batch"/> returns into <paramref name="inputs"/> and <paramref name="targets"/>
    /// (B · (L-1) values each, row after row), so that a training loop can fill the same buffers every step.
    /// </summary>
    /// <exception cref="ArgumentException">A span is not B · (L-1) long.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index is out of range.</exception>
    public void WriteBatch(ReadOnlySpan<int> indices, Span<long> inputs, Span<long> targets)
    {
        var width = Length - 1;
        if (inputs.Length != indices.Length * width || targets.Length != indices.Length * width)
            throw new ArgumentException($"Give {indices.Length * width} inputs and targets for {indices.Length} sequences of {width} positions; got {inputs.Length} and {targets.Length}.");
        for (var b = 0; b < indices.Length; b++)
        {
            if ((uint)indices[b] >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(indices), indices[b], $"There are {Count} sequences.");
            var s = this[indices[b]];
            s[..width].CopyTo(inputs.Slice(b * width, width));
            var real = _lengths?[indices[b]] ?? Length;
            for (var j = 0; j < width; j++)
                targets[b * width + j] = j + 1 >= real || s[j + 1] == IgnoredTarget ? -1 : s[j + 1];
        }
    }

    /// <summary>
    /// The target distributions [B, L-1, <paramref name="vocabularySize"/>] of the sequences
    /// <paramref name="indices"/>: uniform over each position's target choices, all zero where the
    /// target is not scored.
    /// </summary>
    /// <exception cref="InvalidOperationException">The sequences carry no target choices.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The vocabulary is larger than 64 tokens, or an index is out of range.</exception>
    public Tensor TargetDistributions(ReadOnlySpan<int> indices, int vocabularySize, Device? device = null)
    {
        var values = new float[indices.Length * (Length - 1) * vocabularySize];
        WriteTargetDistributions(indices, vocabularySize, values);
        return tensor(values, [indices.Length, Length - 1, vocabularySize], device: device);
    }

    /// <summary>
    /// Writes what <see cref="TargetDistributions"/> returns into <paramref name="values"/> (B · (L-1) ·
    /// <paramref name="vocabularySize"/> values, every one overwritten), so that a training loop can fill the same buffer every step.
    /// </summary>
    /// <exception cref="InvalidOperationException">The sequences carry no target choices.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The vocabulary is larger than 64 tokens, or an index is out of range.</exception>
    /// <exception cref="ArgumentException">The span is not B · (L-1) · V long.</exception>
    public void WriteTargetDistributions(ReadOnlySpan<int> indices, int vocabularySize, Span<float> values)
    {
        if (_targetChoices is null) throw new InvalidOperationException("These sequences carry no target choices.");
        if (vocabularySize is < 1 or > 64) throw new ArgumentOutOfRangeException(nameof(vocabularySize), vocabularySize, "Target choices are 64-bit masks: the vocabulary must have 1..64 tokens.");
        var width = Length - 1;
        if (values.Length != indices.Length * width * vocabularySize)
            throw new ArgumentException($"Give {indices.Length * width * vocabularySize} values for {indices.Length} sequences of {width} positions and {vocabularySize} tokens; got {values.Length}.", nameof(values));
        values.Clear();
        for (var b = 0; b < indices.Length; b++)
        {
            if ((uint)indices[b] >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(indices), indices[b], $"There are {Count} sequences.");
            for (var j = 0; j < width; j++)
            {
                var mask = _targetChoices[(long)indices[b] * width + j];
                if (vocabularySize < 64) mask &= (1UL << vocabularySize) - 1;
                if (mask == 0) continue;
                var p = 1f / BitOperations.PopCount(mask);
                var row = (b * width + j) * vocabularySize;
                for (; mask != 0; mask &= mask - 1) values[row + BitOperations.TrailingZeroCount(mask)] = p;
            }
        }
    }
}
