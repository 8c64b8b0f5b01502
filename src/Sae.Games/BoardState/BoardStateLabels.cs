namespace Sae.Games.BoardState;

/// <summary>Labels whole games: one call, one compact array.</summary>
public static class BoardStateLabels
{
    /// <summary>
    /// The labels of every state, as a [states, <see cref="BoardStateShape.Size"/>] row-major array
    /// of 0/1 bytes.
    /// </summary>
    public static byte[] Label<TState>(this IBoardStateProperty<TState> property, IReadOnlyList<TState> states)
    {
        var size = property.Shape.Size;
        var labels = new byte[states.Count * size];
        for (var i = 0; i < states.Count; i++)
            property.Write(states[i], labels.AsSpan(i * size, size));
        return labels;
    }

    /// <summary>Writes one bit per square of <paramref name="bits"/> into channel <paramref name="channel"/> of 8x8xC labels.</summary>
    public static void WriteSquares(ulong bits, Span<byte> labels, int channels, int channel)
    {
        for (var square = 0; square < 64; square++)
            labels[square * channels + channel] = (byte)((bits >> square) & 1);
    }
}
