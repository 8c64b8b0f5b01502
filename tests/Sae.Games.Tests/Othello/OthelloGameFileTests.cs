using Sae.Games.Othello;

namespace Sae.Games.Tests.Othello;

public sealed class OthelloGameFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sae-games-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    private string Generated(long games, ulong seed, int? threads = null)
    {
        var path = PathOf($"g{games}-{seed}-{threads}.othello");
        RandomOthelloGames.WriteFile(path, games, seed, threads);
        return path;
    }

    [Fact]
    public void Generated_games_read_back_exactly_and_the_header_keeps_count_and_seed()
    {
        var path = Generated(300, seed: 11);
        using var reader = OthelloGameFile.Open(path);
        reader.GameCount.Should().Be(300);
        reader.Seed.Should().Be(11);
        new FileInfo(path).Length.Should().Be(OthelloGameFile.HeaderLength + 300 * OthelloGameFile.RecordLength);
        var games = reader.ReadGames().ToList();
        games.Should().HaveCount(300);
        for (var i = 0; i < games.Count; i++)
            games[i].ToSquareIndices().Should().Equal(RandomOthelloGames.Game(11, i).ToSquareIndices());
        reader.ReadGame(123).ToSquareIndices().Should().Equal(games[123].ToSquareIndices());
        reader.ReadGames(first: 290, count: 5).Select(g => g.ToString()).Should().Equal(games.Skip(290).Take(5).Select(g => g.ToString()));
    }

    [Fact]
    public void Games_written_one_by_one_round_trip()
    {
        var path = PathOf("handmade.othello");
        var games = new[] { OthelloGame.Parse("f5 d6 c3 d3 c4"), OthelloGame.Parse(""), RandomOthelloGames.Game(3, 3) };
        using (var writer = OthelloGameFile.Create(path))
        {
            foreach (var g in games) writer.Append(g);
            writer.Commit();
        }
        using var reader = OthelloGameFile.Open(path);
        reader.Seed.Should().Be(0);
        reader.ReadGames().Select(g => g.ToString()).Should().Equal(games.Select(g => g.ToString()));
    }

    [Fact]
    public void The_same_seed_gives_the_same_file_whatever_the_thread_count()
    {
        var one = File.ReadAllBytes(Generated(5000, seed: 42, threads: 1));
        var two = File.ReadAllBytes(Generated(5000, seed: 42, threads: 2));
        two.Should().Equal(one);
        File.ReadAllBytes(Generated(5000, seed: 43)).Should().NotEqual(one);
    }

    [Fact]
    public void A_truncated_file_is_named_as_truncated()
    {
        var path = Generated(10, seed: 1);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^1]);
        var open = () => OthelloGameFile.Open(path);
        open.Should().Throw<InvalidGameFileException>().WithMessage($"{path}: truncated: the header promises 10 games*");

        File.WriteAllBytes(path, bytes[..20]);
        open.Should().Throw<InvalidGameFileException>().WithMessage("*truncated: 20 bytes*");
    }

    [Fact]
    public void A_foreign_file_an_unknown_version_and_trailing_bytes_are_rejected()
    {
        var foreign = PathOf("foreign.bin");
        File.WriteAllText(foreign, "PK\u0003\u0004 this is a zip file, or so it says, long enough for a header");
        var open = () => OthelloGameFile.Open(foreign);
        open.Should().Throw<InvalidGameFileException>().WithMessage("*not an Othello game file*");

        var path = Generated(2, seed: 1);
        var bytes = File.ReadAllBytes(path);
        bytes[8] = 9;
        File.WriteAllBytes(path, bytes);
        open = () => OthelloGameFile.Open(path);
        open.Should().Throw<InvalidGameFileException>().WithMessage("*format version 9; this library reads version 1");

        bytes[8] = 1;
        File.WriteAllBytes(path, [.. bytes, 0]);
        open.Should().Throw<InvalidGameFileException>().WithMessage("*1 bytes follow the 2 games*");
    }

    [Fact]
    public void A_malformed_or_illegal_record_names_the_game()
    {
        var path = Generated(3, seed: 1);
        var bytes = File.ReadAllBytes(path);
        var second = OthelloGameFile.HeaderLength + OthelloGameFile.RecordLength;
        var corrupt = (byte[])bytes.Clone();
        corrupt[second + 4] = 70;
        File.WriteAllBytes(path, corrupt);
        using (var reader = OthelloGameFile.Open(path))
        {
            var read = () => reader.ReadGames().ToList();
            read.Should().Throw<InvalidGameFileException>().WithMessage("*game 2: byte 4 of the record is 70*");
        }

        var illegal = (byte[])bytes.Clone();
        illegal[second] = 0; // a1 is never a legal first move
        File.WriteAllBytes(path, illegal);
        using (var reader = OthelloGameFile.Open(path))
        {
            var read = () => reader.ReadGame(1);
            read.Should().Throw<InvalidGameFileException>().WithMessage("*game 2: ply 1: illegal move a1*");
        }
    }

    [Fact]
    public void An_uncommitted_or_cancelled_write_leaves_no_file()
    {
        var path = PathOf("never.othello");
        using (var writer = OthelloGameFile.Create(path))
            writer.Append(OthelloGame.Parse("f5"));
        File.Exists(path).Should().BeFalse();

        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var write = () => RandomOthelloGames.WriteFile(path, 1000, 1, cancellationToken: cancelled.Token);
        write.Should().Throw<OperationCanceledException>();
        File.Exists(path).Should().BeFalse();
        Directory.GetFiles(_dir).Should().BeEmpty("no temporary file stays behind");
    }

    [Fact]
    public void Random_games_are_legal_complete_and_as_varied_as_uniform_play_makes_them()
    {
        var path = Generated(2000, seed: 5);
        using var reader = OthelloGameFile.Open(path);
        var summary = OthelloDatasetSummary.Of(reader.ReadGames());
        summary.Games.Should().Be(2000);
        summary.MaxLength.Should().Be(60);
        summary.MinLength.Should().BeGreaterThanOrEqualTo(9, "no Othello game ends in fewer than 9 moves");
        summary.MeanLength.Should().BeInRange(59.5, 60);
        (summary.BlackWins + summary.WhiteWins + summary.Draws).Should().Be(2000);
        // The four first moves are symmetric, so each is chosen about a quarter of the time.
        var firsts = reader.ReadGames().GroupBy(g => g.Moves.First().Name).ToDictionary(g => g.Key, g => g.Count());
        firsts.Keys.Should().BeEquivalentTo("d3", "c4", "f5", "e6");
        firsts.Values.Should().OnlyContain(n => n > 400 && n < 600);
    }
}
