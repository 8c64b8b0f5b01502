using Sae.Games.BoardState;
using Sae.Games.Othello;
using Sae.Metrics.LanguageModels;
using Sae.Metrics.Supervised;
using static TorchSharp.torch;

namespace Sae.Metrics.Evaluation;

/// <summary>
/// Othello games ready for evaluation: the model inputs (59 tokens per game), the positions that are
/// samples (every position holding a move, REFERENCE.md §4), and at each the labels of several board
/// state properties side by side. The label at position t describes the board after move t + 1, which
/// is what the model has seen when it reads that token.
/// </summary>
public sealed class OthelloPositions
{
    private OthelloPositions(IReadOnlyList<OthelloGame> games, long[] tokens, IReadOnlyList<int[]> positions, byte[] labels, int elements, IReadOnlyList<BspSlice> slices)
    {
        Games = games;
        Tokens = tokens;
        Positions = positions;
        Labels = labels;
        Elements = elements;
        Slices = slices;
    }

    /// <summary>The games, in order.</summary>
    public IReadOnlyList<OthelloGame> Games { get; }

    /// <summary>Model inputs [games, 59], one game after another.</summary>
    public long[] Tokens { get; }

    /// <summary>Tokens per game.</summary>
    public static int Width => OthelloTokenizer.ContextLength;

    /// <summary>Per game, the positions that are samples.</summary>
    public IReadOnlyList<int[]> Positions { get; }

    /// <summary>Number of samples (rows).</summary>
    public int Rows => Labels.Length / Math.Max(1, Elements);

    /// <summary>Labels [rows, elements] as 0/1 bytes, row after row.</summary>
    public byte[] Labels { get; }

    /// <summary>Label columns per row: the properties' sizes added up.</summary>
    public int Elements { get; }

    /// <summary>Where each property's columns are.</summary>
    public IReadOnlyList<BspSlice> Slices { get; }

    /// <summary>Prepares <paramref name="games"/> with the labels of <paramref name="properties"/>.</summary>
    public static OthelloPositions From(IReadOnlyList<OthelloGame> games, IReadOnlyList<IBoardStateProperty<OthelloPly>> properties)
    {
        if (properties.Count == 0) throw new ArgumentException("Give at least one board state property.", nameof(properties));
        var slices = new List<BspSlice>();
        var elements = 0;
        foreach (var property in properties)
        {
            slices.Add(BspSlice.Of(property, elements));
            elements += property.Shape.Size;
        }
        var positions = games.Select(g => Enumerable.Range(0, Math.Min(g.Length, Width)).ToArray()).ToList();
        var rows = positions.Sum(p => p.Length);
        var labels = new byte[(long)rows * elements];
        var row = 0;
        for (var g = 0; g < games.Count; g++)
        {
            var plies = games[g].Plies.Take(positions[g].Length).ToList();
            foreach (var slice in slices.Zip(properties))
            {
                var size = slice.Second.Shape.Size;
                var own = slice.Second.Label(plies);
                for (var t = 0; t < plies.Count; t++)
                    own.AsSpan(t * size, size).CopyTo(labels.AsSpan((row + t) * elements + slice.First.Offset, size));
            }
            row += plies.Count;
        }
        return new OthelloPositions(games, OthelloSequences.Inputs(games), positions, labels, elements, slices);
    }

    /// <summary>The labels as a uint8 tensor [rows, elements] on the CPU.</summary>
    public Tensor LabelTensor() => tensor(Labels, [Rows, Elements]);

    /// <summary>The model's activations at the samples, [rows, X] float32 on the CPU, read by <paramref name="read"/> (tokens [B, 59] → [B, 59, X]).</summary>
    public Tensor Activations(Func<Tensor, Tensor> read, Device device, int batchSize = 64, CancellationToken cancellationToken = default) =>
        PositionActivations.ToTensor(read, Tokens, Width, Positions, device, batchSize, cancellationToken);
}
