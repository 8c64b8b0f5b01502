using System.Text.Json;

namespace Sae.Cli.Tests;

public sealed class OthelloCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sae-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Trace_prints_board_turn_and_sorted_legal_moves_after_every_move()
    {
        var (code, output, _) = Sae.Run("f5 d6\n", "othello", "trace");
        code.Should().Be(0);
        // f5 flips e5; white may answer d6, f4 or f6. d6 flips d5; black may then flank d4 (c3, c4),
        // d5 (c5, c6) or d6 (c7).
        Sae.Lines(output).Should().Equal(
            "1 1 " + Board(black: ["e4", "d5", "e5", "f5"], white: ["d4"]) + " w d6,f4,f6",
            "1 2 " + Board(black: ["e4", "e5", "f5"], white: ["d4", "d5", "d6"]) + " b c3,c4,c5,c6,c7");
    }

    [Fact]
    public void Trace_reports_an_illegal_or_unknown_move_ends_that_game_and_goes_on()
    {
        var (code, output, _) = Sae.Run("f5 f5 d6\nF5 q1\n\nf5\n", "othello", "trace");
        code.Should().Be(1);
        var lines = Sae.Lines(output);
        lines.Should().HaveCount(5);
        lines[0].Should().StartWith("1 1 ");
        lines[1].Should().Be("1 error: ply 2: illegal move f5: f5 is occupied (white to move)");
        lines[2].Should().StartWith("2 1 ");
        lines[3].Should().Be("2 error: ply 2: unknown move 'q1': not a square name a1..h8");
        lines[4].Should().StartWith("4 1 ", "an empty line is game 3 without moves");
    }

    [Fact]
    public void Trace_ends_a_nine_move_wipe_out_with_no_player_to_move()
    {
        var (code, output, _) = Sae.Run("d3 c3 b3 d2 e1 d6 d7 e3 f4\n", "othello", "trace");
        code.Should().Be(0, output);
        var lines = Sae.Lines(output);
        lines.Should().HaveCount(9);
        lines[^2].Split(' ')[3].Should().NotBe("-");
        var last = lines[^1].Split(' ');
        last[3].Should().Be("-");
        last[4].Should().Be("-");
        last[2].Distinct().Should().HaveCount(2, "one colour and empty squares remain");
    }

    [Fact]
    public void Trace_shows_a_pass_as_the_same_player_to_move_twice()
    {
        var game = Enumerable.Range(0, 1000).Select(i => Games.Othello.RandomOthelloGames.Game(5, i)).First(g => g.PassCount > 0);
        var (code, output, _) = Sae.Run(game + "\n", "othello", "trace");
        code.Should().Be(0);
        var toMove = Sae.Lines(output).Select(l => l.Split(' ')[3]).Prepend("b").ToList();
        var repeats = Enumerable.Range(1, toMove.Count - 1).Count(i => toMove[i] == toMove[i - 1]);
        repeats.Should().Be(game.PassCount);
        toMove[^1].Should().Be("-");
    }

    [Fact]
    public void Generate_writes_a_reproducible_dataset_and_stats_summarises_it()
    {
        var first = Path.Combine(_dir, "a.othello");
        var second = Path.Combine(_dir, "b.othello");
        var (code, output, _) = Sae.Run("", "othello", "generate", "--games", "1000", "--seed", "3", "--out", first);
        code.Should().Be(0);
        output.Should().Contain("games      1,000 (seed 3)");
        Sae.Run("", "othello", "generate", "--games", "1000", "--seed", "3", "--out", second, "--threads", "1").ExitCode.Should().Be(0);
        File.ReadAllBytes(second).Should().Equal(File.ReadAllBytes(first));

        var stats = Sae.Run("", "othello", "stats", first, "--json");
        stats.ExitCode.Should().Be(0);
        var summary = JsonDocument.Parse(stats.Output).RootElement.GetProperty("summary");
        summary.GetProperty("games").GetInt64().Should().Be(1000);
        (summary.GetProperty("black_wins").GetInt64() + summary.GetProperty("white_wins").GetInt64() + summary.GetProperty("draws").GetInt64())
            .Should().Be(1000);
    }

    [Fact]
    public void Bad_input_gives_one_error_line_and_exit_code_2()
    {
        var foreign = Path.Combine(_dir, "foreign.txt");
        File.WriteAllText(foreign, new string('z', 100));
        var stats = Sae.Run("", "othello", "stats", foreign);
        stats.ExitCode.Should().Be(2);
        stats.Error.Should().Be($"sae: error: {foreign}: not an Othello game file (it does not start with \"SAEOTHLO\")\n");

        var missing = Sae.Run("", "othello", "stats", Path.Combine(_dir, "missing.othello"));
        missing.ExitCode.Should().Be(2);
        missing.Error.Should().StartWith("sae: error: ").And.Contain("missing.othello");

        var negative = Sae.Run("", "othello", "generate", "--games", "-5", "--out", Path.Combine(_dir, "x.othello"));
        negative.ExitCode.Should().Be(2);
        negative.Error.Should().Contain("--games must be at least 0");
        File.Exists(Path.Combine(_dir, "x.othello")).Should().BeFalse();
    }

    [Fact]
    public void Bench_prints_games_per_second_as_the_last_line()
    {
        var (code, output, _) = Sae.Run("", "bench", "othello-games", "--games", "2000", "--runs", "1");
        code.Should().Be(0);
        var last = Sae.Lines(output)[^1];
        JsonDocument.Parse(last).RootElement.GetProperty("games_per_second").GetDouble().Should().BePositive();
    }

    [Fact]
    public void Bench_labels_prints_plies_per_second_and_names_an_unknown_property()
    {
        var (code, output, _) = Sae.Run("", "bench", "othello-labels", "--games", "50", "--runs", "1", "--property", "flipped");
        code.Should().Be(0);
        JsonDocument.Parse(Sae.Lines(output)[^1]).RootElement.GetProperty("plies_per_second").GetDouble().Should().BePositive();

        var unknown = Sae.Run("", "bench", "othello-labels", "--property", "nope");
        unknown.ExitCode.Should().Be(2);
        unknown.Error.Should().Contain("'nope'").And.Contain("mine_yours_blank_masked");
    }

    private static string Board(string[] black, string[] white)
    {
        var board = Enumerable.Repeat('.', 64).ToArray();
        foreach (var s in black) board[Square(s)] = 'x';
        foreach (var s in white) board[Square(s)] = 'o';
        return new string(board);
    }

    private static int Square(string name) => 8 * (name[1] - '1') + (name[0] - 'a');
}
