using static TorchSharp.torch;

namespace Sae.Metrics.LanguageModels;

/// <summary>
/// Reads a model's activations at chosen positions of many sequences: batched, without autograd,
/// each row handed on as soon as its batch is computed.
/// </summary>
public static class PositionActivations
{
    /// <summary>
    /// Runs <paramref name="read"/> (int64 tokens [B, width] → activations [B, width, X]) over the
    /// sequences of <paramref name="tokens"/> (<paramref name="width"/> tokens each, one after another),
    /// <paramref name="batchSize"/> at a time, and passes the row of every position listed in
    /// <paramref name="positions"/> (per sequence) to <paramref name="sink"/> with its sequence and position,
    /// in order. Returns X.
    /// </summary>
    /// <exception cref="ArgumentException">The sizes disagree, or a position is outside its sequence.</exception>
    public static int Gather(Func<Tensor, Tensor> read, long[] tokens, int width, IReadOnlyList<int[]> positions, Device device,
        Action<ReadOnlySpan<float>, int, int> sink, int batchSize = 64, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        Check(tokens, width, positions, batchSize);
        using var noGrad = no_grad();
        float[]? buffer = null;
        var columns = 0;
        for (var start = 0; start < positions.Count; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var count = Math.Min(batchSize, positions.Count - start);
            var input = tensor(tokens.AsSpan(start * width, count * width).ToArray(), [count, width], device: device);
            var acts = read(input);
            if (acts.dim() != 3 || acts.shape[0] != count || acts.shape[1] != width)
                throw new ArgumentException($"The reader returned [{string.Join(", ", acts.shape)}]; expected [{count}, {width}, X].");
            columns = (int)acts.shape[2];
            buffer ??= new float[batchSize * width * columns];
            acts.to_type(ScalarType.Float32).cpu().contiguous().data<float>().CopyTo(buffer, 0);
            for (var i = 0; i < count; i++)
                foreach (var t in positions[start + i])
                    sink(buffer.AsSpan((i * width + t) * columns, columns), start + i, t);
            progress?.Report(start + count);
        }
        return columns;
    }

    /// <summary>The rows of <see cref="Gather"/> as one float32 tensor [rows, X] on the CPU.</summary>
    public static Tensor ToTensor(Func<Tensor, Tensor> read, long[] tokens, int width, IReadOnlyList<int[]> positions, Device device,
        int batchSize = 64, CancellationToken cancellationToken = default)
    {
        var rows = positions.Sum(p => (long)p.Length);
        float[]? values = null;
        long row = 0;
        var columns = Gather(read, tokens, width, positions, device, (r, _, _) =>
        {
            values ??= new float[checked(rows * r.Length)];
            r.CopyTo(values.AsSpan((int)(row * r.Length)));
            row++;
        }, batchSize, cancellationToken: cancellationToken);
        return tensor(values ?? [], [rows, columns]);
    }

    /// <summary>Throws unless the tokens are whole sequences and every position lies within its sequence.</summary>
    internal static void Check(long[] tokens, int width, IReadOnlyList<int[]> positions, int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        if (tokens.Length != (long)positions.Count * width)
            throw new ArgumentException($"{tokens.Length} tokens are not {positions.Count} sequences of {width}.", nameof(tokens));
        if (positions.Any(p => p.Any(t => t < 0 || t >= width)))
            throw new ArgumentException($"A position is outside 0..{width - 1}.", nameof(positions));
    }
}
