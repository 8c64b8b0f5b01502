using System.Text.Json;

namespace Sae.Cli.Tests;

public sealed class ChessCommandTests
{
    [Fact]
    public void Perft_prints_nodes_and_speed_as_one_json_line()
    {
        var (code, output, _) = Sae.Run("", "chess", "perft", "--depth", "3");
        code.Should().Be(0);
        Sae.Lines(output).Should().ContainSingle();
        var json = JsonDocument.Parse(output).RootElement;
        json.GetProperty("nodes").GetInt64().Should().Be(8_902);
        json.GetProperty("nodes_per_second").GetDouble().Should().BePositive();

        var kiwipete = Sae.Run("", "chess", "perft", "--fen", "r3k2r/p1ppqpb1/bn2pnp1/3PN3/1p2P3/2N2Q1p/PPPBBPPP/R3K2R w KQkq - 0 1", "--depth", "2");
        JsonDocument.Parse(kiwipete.Output).RootElement.GetProperty("nodes").GetInt64().Should().Be(2_039);
    }

    [Fact]
    public void Perft_with_a_bad_fen_or_depth_fails_with_one_error_line()
    {
        var bad = Sae.Run("", "chess", "perft", "--fen", "8/8/8 w - - 0 1", "--depth", "1");
        bad.ExitCode.Should().Be(2);
        bad.Error.Should().StartWith("sae: error: malformed FEN '8/8/8 w - - 0 1': placement:");
        Sae.Run("", "chess", "perft", "--depth", "-1").Error.Should().Contain("--depth must be at least 0");
    }

    [Fact]
    public void Moves_writes_sorted_san_per_fen_and_an_error_line_for_a_bad_one()
    {
        var input = string.Join("\n",
            "rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR w KQkq - 0 1",
            "not a fen",
            "rnb1kbnr/pppp1ppp/8/4p3/6Pq/5P2/PPPPP2P/RNBQKBNR w KQkq - 1 3",
            "2rkr3/2p1p3/8/8/8/8/8/R3K3 w Q - 0 1") + "\n";
        var (code, output, _) = Sae.Run(input, "chess", "moves");
        code.Should().Be(1);
        var lines = output.Split('\n');
        lines.Should().HaveCount(5);
        lines[0].Should().Be("Na3 Nc3 Nf3 Nh3 a3 a4 b3 b4 c3 c4 d3 d4 e3 e4 f3 f4 g3 g4 h3 h4");
        lines[1].Should().StartWith("error: malformed FEN 'not a fen': fields:");
        lines[2].Should().BeEmpty("White is checkmated");
        lines[3].Split(' ').Should().Contain("O-O-O#").And.Contain("Ra8");
        lines[4].Should().BeEmpty();
    }

    [Fact]
    public void Bsp_writes_one_json_object_per_fen_with_every_property()
    {
        var (code, output, _) = Sae.Run("rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR w KQkq - 0 1\n6k1/5ppp/8/8/8/8/8/R5K1 w - - 0 1\n", "chess", "bsp");
        code.Should().Be(0);
        var lines = Sae.Lines(output);
        lines.Should().HaveCount(2);
        var start = JsonDocument.Parse(lines[0]).RootElement;
        var piece = start.GetProperty("piece").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        piece.Should().HaveCount(64);
        piece[0].Should().Be(10);
        piece[60].Should().Be(0);
        start.GetProperty("legal_moves").EnumerateArray().Sum(e => e.GetInt32()).Should().Be(16);
        start.GetProperty("has_castling_rights").GetInt32().Should().Be(1);
        start.GetProperty("has_mate_threat").GetInt32().Should().Be(0);
        foreach (var key in new[] { "threat", "check", "pin", "any_fork", "has_kingside_castling_rights", "has_queenside_castling_rights",
                     "has_legal_en_passant", "can_check_next", "has_bishop_pair", "can_capture_queen", "has_queen", "has_connected_rooks",
                     "ambiguous_moves", "specific_fork", "can_claim_draw", "pseudo_legal_moves", "piece_color", "piece_blank_masked", "piece_blank_initial_masked" })
            start.TryGetProperty(key, out _).Should().BeTrue(key);
        start.GetProperty("piece_blank_initial_masked").EnumerateArray().Should().OnlyContain(e => e.GetInt32() == -1);
        var mate = JsonDocument.Parse(lines[1]).RootElement;
        mate.GetProperty("has_mate_threat").GetInt32().Should().Be(1);
        mate.GetProperty("can_check_next").GetInt32().Should().Be(1);
        mate.GetProperty("has_queen").GetInt32().Should().Be(0);

        var bad = Sae.Run("x\n", "chess", "bsp");
        bad.ExitCode.Should().Be(1);
        bad.Output.Should().StartWith("error: malformed FEN 'x'");
    }

    [Fact]
    public void Pgn2gpt_writes_a_transcript_per_game_and_reports_bad_games()
    {
        const string pgn = """
            [Event "1"]
            1. e4 {comment} e5 2. Nf3 (2. f4 exf4) Nc6 $1 1-0

            [Event "2"]
            1. e4 e5 2. Qxf7 *

            [Event "3"]
            1. d4 d5 1/2-1/2
            """;
        var (code, output, error) = Sae.Run(pgn, "chess", "pgn2gpt");
        code.Should().Be(1);
        Sae.Lines(output).Should().Equal(";1.e4 e5 2.Nf3 Nc6", ";1.d4 d5");
        error.Should().Contain("game 2").And.Contain("Qxf7");

        var cut = Sae.Run("1. e4 e5 2. Nf3 Nc6 *", "chess", "pgn2gpt", "--length", "10");
        cut.ExitCode.Should().Be(0);
        cut.Output.Should().Be(";1.e4 e5 2\n");
    }

    [Fact]
    public void Pgn2gpt_skips_a_game_from_a_set_up_position()
    {
        var (code, output, error) = Sae.Run("[FEN \"4k3/8/8/8/8/8/8/4K2R w K - 0 1\"]\n1. O-O *\n\n1. e4 *\n", "chess", "pgn2gpt");
        code.Should().Be(1);
        output.Should().Be(";1.e4\n");
        error.Should().Contain("game 1").And.Contain("set-up position");
    }

    [Fact]
    public void Generate_writes_reproducible_transcripts_that_replay()
    {
        var (code, output, _) = Sae.Run("", "chess", "generate", "--games", "3", "--seed", "7", "--max-plies", "30");
        code.Should().Be(0);
        var lines = Sae.Lines(output);
        lines.Should().HaveCount(3).And.OnlyHaveUniqueItems();
        lines.Should().OnlyContain(l => Games.Chess.ChessGptTranscript.Parse(l).Moves.Count == 30);
        Sae.Run("", "chess", "generate", "--games", "3", "--seed", "7", "--max-plies", "30").Output.Should().Be(output);

        var engine = Sae.Run("", "chess", "generate", "--games", "2", "--engine-depth", "1", "--max-plies", "20", "--length", "40");
        engine.ExitCode.Should().Be(0);
        Sae.Lines(engine.Output).Should().HaveCount(2).And.OnlyContain(l => l.Length <= 40 && l.StartsWith(";1."));
        Sae.Run("", "chess", "generate", "--games", "1", "--engine-depth", "9").Error.Should().Contain("--engine-depth must be from 1 to 4");

        string[] varied = ["chess", "generate", "--games", "1100", "--engine-depth", "1", "--random-opening", "4", "--random-moves", "0.2", "--max-plies", "12"];
        var many = Sae.Run("", [.. varied, "--threads", "2"]);
        many.ExitCode.Should().Be(0);
        Sae.Run("", [.. varied, "--threads", "1"]).Output.Should().Be(many.Output, "the games do not depend on the thread count, across a block boundary");
        Sae.Lines(many.Output).Should().HaveCount(1100);
        Sae.Run("", "chess", "generate", "--games", "1", "--random-opening", "4").Error.Should().Contain("give --engine-depth");
        Sae.Run("", "chess", "generate", "--games", "1", "--engine-depth", "1", "--random-moves", "2").Error.Should().Contain("--random-moves must be a probability");
    }

    [Fact]
    public void Bench_chess_labels_prints_positions_per_second_last()
    {
        var (code, output, _) = Sae.Run("", "bench", "chess-labels", "--games", "5", "--runs", "1");
        code.Should().Be(0);
        JsonDocument.Parse(Sae.Lines(output)[^1]).RootElement.GetProperty("positions_per_second").GetDouble().Should().BePositive();
    }
}
