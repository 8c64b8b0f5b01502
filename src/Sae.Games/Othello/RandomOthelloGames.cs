using System.Numerics;

namespace Sae.Games.Othello;

/// <summary>
/// Synthetic games of uniformly random legal moves, the training data of OthelloGPT. Game i of a
/// data set made with seed s depends on (s, i) only, so the data set is the same whatever the
/// number of threads that generate it, and any slice of it can be made alone.
/// </summary>
public static class RandomOthelloGames
{
    /// <summary>How many games one parallel work item generates.</summary>
    private const int GamesPerBlock = 4096;

    /// <summary>
    /// Plays game <paramref name="gameIndex"/> of the data set with <paramref name="seed"/> into
    /// <paramref name="record"/> (at least <see cref="OthelloGame.MaxMoves"/> bytes): the moves as
    /// square indices, then <see cref="OthelloGameFile.Padding"/>. Returns the number of moves.
    /// </summary>
    public static int Play(ulong seed, long gameIndex, Span<byte> record)
    {
        record = record[..OthelloGame.MaxMoves];
        var random = new GameRandom(seed, (ulong)gameIndex);
        var position = OthelloPosition.Initial;
        var length = 0;
        while (!position.IsGameOver)
        {
            var legal = position.LegalMoves;
            var square = OthelloBitboards.NthSetBit(legal, random.Below(BitOperations.PopCount(legal)));
            position.TryPlay(square, out position, out _);
            record[length++] = (byte)square;
        }
        record[length..].Fill(OthelloGameFile.Padding);
        return length;
    }

    /// <summary>Game <paramref name="gameIndex"/> of the data set with <paramref name="seed"/>.</summary>
    public static OthelloGame Game(ulong seed, long gameIndex)
    {
        Span<byte> record = stackalloc byte[OthelloGame.MaxMoves];
        var length = Play(seed, gameIndex, record);
        return OthelloGame.FromSquareIndices(record[..length]);
    }

    /// <summary>
    /// Fills <paramref name="records"/> with games <paramref name="firstGame"/>,
    /// <paramref name="firstGame"/> + 1, … (one <see cref="OthelloGameFile.RecordLength"/>-byte record each),
    /// on up to <paramref name="threads"/> threads (all cores by default).
    /// </summary>
    public static void Fill(ulong seed, long firstGame, Span<byte> records, int? threads = null, CancellationToken cancellationToken = default)
    {
        if (records.Length % OthelloGameFile.RecordLength != 0)
            throw new ArgumentException($"{records.Length} bytes is not a whole number of {OthelloGameFile.RecordLength}-byte records.", nameof(records));
        var games = records.Length / OthelloGameFile.RecordLength;
        var blocks = (games + GamesPerBlock - 1) / GamesPerBlock;
        unsafe
        {
            fixed (byte* start = records)
            {
                var address = (nint)start;
                Parallel.For(0, blocks, Options(threads, cancellationToken), block =>
                {
                    var end = Math.Min(games, (block + 1) * GamesPerBlock);
                    for (var g = block * GamesPerBlock; g < end; g++)
                        Play(seed, firstGame + g, new Span<byte>((byte*)address + (long)g * OthelloGameFile.RecordLength, OthelloGameFile.RecordLength));
                });
            }
        }
    }

    /// <summary>
    /// Generates <paramref name="games"/> games with <paramref name="seed"/> into a dataset at
    /// <paramref name="path"/>, in chunks so that memory stays small, reporting the number of games
    /// written. A cancelled or failed run leaves no file behind.
    /// </summary>
    public static void WriteFile(string path, long games, ulong seed, int? threads = null,
        IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(games);
        const int chunkGames = 64 * GamesPerBlock;
        var buffer = new byte[chunkGames * OthelloGameFile.RecordLength];
        using var writer = OthelloGameFile.Create(path, seed);
        for (long done = 0; done < games;)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = (int)Math.Min(chunkGames, games - done);
            var chunk = buffer.AsSpan(0, count * OthelloGameFile.RecordLength);
            Fill(seed, done, chunk, threads, cancellationToken);
            writer.AppendRecords(chunk);
            done += count;
            progress?.Report(done);
        }
        writer.Commit();
    }

    private static ParallelOptions Options(int? threads, CancellationToken cancellationToken) => new()
    {
        MaxDegreeOfParallelism = threads ?? Environment.ProcessorCount,
        CancellationToken = cancellationToken,
    };
}
