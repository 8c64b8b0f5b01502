using Sae.Core.LanguageModels;
using Sae.Games.Chess;

namespace Sae.Metrics.LanguageModels;

/// <summary>
/// ChessGPT transcripts as training sequences and model inputs (docs/reference.md §1): characters over the
/// 32-token vocabulary, truncated to a length (256 by default), padded with spaces whose targets are
/// not scored; and the '.' positions where board states are sampled, found from the characters alone.
/// </summary>
public static class ChessSequences
{
    /// <summary>Training sequences of <paramref name="transcripts"/>: <paramref name="length"/> + 1 tokens each, so that a model of context <paramref name="length"/> reads characters 1..length and predicts 2..length+1.</summary>
    /// <exception cref="FormatException">A transcript has a character outside the vocabulary.</exception>
    public static TokenSequences From(IReadOnlyList<string> transcripts, int length = ChessGptTranscript.DefaultLength)
    {
        var (tokens, lengths) = Encode(transcripts, length + 1);
        return new TokenSequences(tokens, transcripts.Count, length + 1, lengths: lengths);
    }

    /// <summary>Model inputs of <paramref name="transcripts"/>: [count, <paramref name="length"/>] token ids, padded with spaces (token 0).</summary>
    public static long[] Inputs(IReadOnlyList<string> transcripts, int length = ChessGptTranscript.DefaultLength) => Encode(transcripts, length).Tokens;

    /// <summary>The index of every character of <paramref name="transcript"/> below <paramref name="length"/>: the positions whose activations train SAEs (the reference's SAEs read every position).</summary>
    public static int[] CharacterIndices(string transcript, int length = ChessGptTranscript.DefaultLength) => [.. Enumerable.Range(0, Math.Min(transcript.Length, length))];

    /// <summary>The indices of the first <paramref name="maxCount"/> '.' characters of <paramref name="transcript"/> below <paramref name="length"/>: the sampled positions (the board before White's move).</summary>
    public static int[] DotIndices(string transcript, int length = ChessGptTranscript.DefaultLength, int maxCount = ChessGptTranscript.DefaultDotCount) =>
        [.. Enumerable.Range(0, Math.Min(transcript.Length, length)).Where(i => transcript[i] == '.').Take(maxCount)];

    private static (long[] Tokens, int[] Lengths) Encode(IReadOnlyList<string> transcripts, int width)
    {
        var tokens = new long[(long)transcripts.Count * width];
        var lengths = new int[transcripts.Count];
        for (var i = 0; i < transcripts.Count; i++)
        {
            var encoded = ChessGptTranscript.Encode(ChessGptTranscript.Truncate(transcripts[i], width));
            for (var j = 0; j < encoded.Length; j++) tokens[(long)i * width + j] = encoded[j];
            lengths[i] = encoded.Length;
        }
        return (tokens, lengths);
    }
}
