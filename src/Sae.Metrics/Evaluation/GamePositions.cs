using Sae.Core.LanguageModels;
using Sae.Games.BoardState;
using Sae.Games.Chess;
using Sae.Games.Othello;
using Sae.Metrics.LanguageModels;
using Sae.Metrics.Reports;
using Sae.Metrics.Supervised;
using static TorchSharp.torch;

namespace Sae.Metrics.Evaluation;

/// <summary>
/// Games ready for evaluation (docs/reference.md §4): the model inputs, the positions that are samples,
/// the labels of several board state properties side by side at each sample, and the sequences whose
/// next-token loss "loss recovered" measures. Othello: every position holding a move, labelled with the
/// board after that move. Chess: the first 20 '.' characters of each transcript, labelled with the
/// board there (White to move).
/// </summary>
public sealed class GamePositions
{
    private readonly Func<int, BoardPicture> _picture;

    private GamePositions(long[] tokens, int width, IReadOnlyList<int[]> positions, byte[] labels, int elements, IReadOnlyList<BspSlice> slices, TokenSequences sequences,
        Func<int, BoardPicture> picture)
    {
        _picture = picture;
        Tokens = tokens;
        Width = width;
        Positions = positions;
        Labels = labels;
        Elements = elements;
        Slices = slices;
        Sequences = sequences;
    }

    /// <summary>Model inputs [games, <see cref="Width"/>], one game after another.</summary>
    public long[] Tokens { get; }

    /// <summary>Tokens per game.</summary>
    public int Width { get; }

    /// <summary>Per game, the positions that are samples.</summary>
    public IReadOnlyList<int[]> Positions { get; }

    /// <summary>Per game, its number of rows (samples), in order: the unit the metrics' bootstrap resamples.</summary>
    public IReadOnlyList<int> RowsPerGame => [.. Positions.Select(p => p.Length)];

    /// <summary>Number of samples (rows).</summary>
    public int Rows => Labels.Length / Math.Max(1, Elements);

    /// <summary>Labels [rows, elements] as 0/1 bytes, row after row.</summary>
    public byte[] Labels { get; }

    /// <summary>Label columns per row: the properties' sizes added up.</summary>
    public int Elements { get; }

    /// <summary>Where each property's columns are.</summary>
    public IReadOnlyList<BspSlice> Slices { get; }

    /// <summary>The games as next-token sequences (for the loss with and without an SAE).</summary>
    public TokenSequences Sequences { get; }

    /// <summary>Othello <paramref name="games"/> with the labels of <paramref name="properties"/>.</summary>
    public static GamePositions Othello(IReadOnlyList<OthelloGame> games, IReadOnlyList<IBoardStateProperty<OthelloPly>> properties)
    {
        var positions = OthelloSequences.MovePositions(games);
        var states = games.Select((g, i) => (IReadOnlyList<OthelloPly>)[.. g.Plies.Take(positions[i].Length)]).ToList();
        return Of(OthelloSequences.Inputs(games), OthelloTokenizer.ContextLength, positions, states, properties, OthelloSequences.From(games), BoardPicture.Of);
    }

    /// <summary>ChessGPT <paramref name="transcripts"/>, read <paramref name="width"/> characters at a time, with the labels of <paramref name="properties"/> at the first 20 '.' characters.</summary>
    /// <exception cref="FormatException">A transcript has a character outside the vocabulary or a move that cannot be played.</exception>
    public static GamePositions Chess(IReadOnlyList<string> transcripts, IReadOnlyList<ChessBoardStateProperty> properties, int width = ChessGptTranscript.DefaultLength)
    {
        var dots = transcripts.Select(t => ChessGptTranscript.DotPositions(ChessGptTranscript.Truncate(t, width))).ToList();
        var positions = dots.Select(d => d.Select(p => p.CharIndex).ToArray()).ToList();
        var states = dots.Select(d => (IReadOnlyList<ChessPly>)[.. d.Select(p => p.Ply)]).ToList();
        var labels = Label(properties, states, plies => ChessProperties.Label(plies, properties), out var elements, out var slices);
        var rows = states.SelectMany(game => game.Select((ply, i) => (ply.Position, Previous: i > 0 ? game[i - 1].Position : (ChessPosition?)null))).ToArray();
        return new GamePositions(ChessSequences.Inputs(transcripts, width), width, positions, labels, elements, slices, ChessSequences.From(transcripts, width),
            row => BoardPicture.Of(rows[row].Position, rows[row].Previous));
    }

    /// <summary>
    /// Games of any kind: the model inputs <paramref name="tokens"/> ([games, <paramref name="width"/>], one game after
    /// another), per game the positions that are samples and the state at each (<paramref name="states"/>, one per
    /// position), labelled with <paramref name="properties"/>; <paramref name="sequences"/> are the games as next-token
    /// sequences. A game whose properties are 8 x 8 boards gives <paramref name="picture"/> so that reports can draw them.
    /// </summary>
    /// <exception cref="ArgumentException">No properties, or a game's states do not match its positions.</exception>
    public static GamePositions Of<TState>(long[] tokens, int width, IReadOnlyList<int[]> positions, IReadOnlyList<IReadOnlyList<TState>> states,
        IReadOnlyList<IBoardStateProperty<TState>> properties, TokenSequences sequences, Func<TState, BoardPicture>? picture = null)
    {
        if (states.Count != positions.Count || states.Where((s, i) => s.Count != positions[i].Length).Any())
            throw new ArgumentException($"Give one state per sample position of each of the {positions.Count} games.", nameof(states));
        var labels = Label(properties, states, game => [.. properties.Select(p => p.Label(game))], out var elements, out var slices);
        var rows = states.SelectMany(s => s).ToArray();
        return new GamePositions(tokens, width, positions, labels, elements, slices, sequences,
            row => picture is null ? throw new InvalidOperationException("This game's positions are not drawn.") : picture(rows[row]));
    }

    /// <summary>The board at sample <paramref name="row"/>, for drawing: pieces, the last move's squares and the legal moves.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="row"/> is not a sample.</exception>
    public BoardPicture Picture(int row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, Rows);
        return _picture(row);
    }

    /// <summary>The labels as a uint8 tensor [rows, elements] on the CPU.</summary>
    public Tensor LabelTensor() => tensor(Labels, [Rows, Elements]);

    /// <summary>The model's activations at the samples, [rows, X] float32 on the CPU, read by <paramref name="read"/> (tokens [B, width] → [B, width, X]).</summary>
    public Tensor Activations(Func<Tensor, Tensor> read, Device device, int batchSize = 64, CancellationToken cancellationToken = default) =>
        PositionActivations.ToTensor(read, Tokens, Width, Positions, device, batchSize, cancellationToken);

    /// <summary>
    /// The labels of every game's sampled states side by side: <paramref name="labelGame"/> gives one array per
    /// property ([states, size]) for a game, and each is copied into its columns.
    /// </summary>
    private static byte[] Label<TProperty, TState>(IReadOnlyList<TProperty> properties, IReadOnlyList<IReadOnlyList<TState>> states,
        Func<IReadOnlyList<TState>, byte[][]> labelGame, out int elements, out IReadOnlyList<BspSlice> slices) where TProperty : IBoardStateProperty
    {
        if (properties.Count == 0) throw new ArgumentException("Give at least one board state property.", nameof(properties));
        var list = new List<BspSlice>();
        elements = 0;
        foreach (var property in properties)
        {
            list.Add(BspSlice.Of(property, elements));
            elements += property.Shape.Size;
        }
        slices = list;
        var rows = states.Sum(s => s.Count);
        var labels = new byte[(long)rows * elements];
        var row = 0;
        foreach (var game in states)
        {
            var perProperty = labelGame(game);
            for (var k = 0; k < properties.Count; k++)
            {
                var size = properties[k].Shape.Size;
                for (var t = 0; t < game.Count; t++)
                    perProperty[k].AsSpan(t * size, size).CopyTo(labels.AsSpan((row + t) * elements + list[k].Offset, size));
            }
            row += game.Count;
        }
        return labels;
    }
}
