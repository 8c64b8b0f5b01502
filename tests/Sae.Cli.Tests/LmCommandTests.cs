using System.Text.Json;
using Sae.Core.Activations;
using Sae.Core.LanguageModels;
using static TorchSharp.torch;

namespace Sae.Cli.Tests;

public sealed class LmCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sae-lm-" + Guid.NewGuid().ToString("N"));

    public LmCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Games()
    {
        var path = Path.Combine(_dir, "games.othello");
        Sae.Run("", "othello", "generate", "--games", "300", "--seed", "5", "--out", path).ExitCode.Should().Be(0);
        return path;
    }

    [Fact]
    public void Train_then_eval_logits_and_collect_agree_with_the_library()
    {
        var games = Games();
        var model = Path.Combine(_dir, "model");
        var train = Sae.Run("", "lm", "train", "--data", games, "--layers", "1", "--d-model", "16", "--heads", "2", "--steps", "30",
            "--batch", "8", "--warmup", "5", "--held-out", "40", "--device", "cpu", "--out", model);
        train.ExitCode.Should().Be(0, train.Error);
        var trained = JsonDocument.Parse(Sae.Lines(train.Output)[^1]).RootElement;
        System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(model, GptFiles.ConfigFileName)))!["training"]!["product_dtype"]!.GetValue<string>()
            .Should().Be(global::Sae.Core.Training.ProductPrecision.CpuHasBFloat16Units ? "bfloat16" : "float32", "--dtype auto follows the CPU");
        var rate = trained.GetProperty("legal_move_rate").GetDouble();
        rate.Should().BeInRange(0, 1);
        File.Exists(Path.Combine(model, GptFiles.WeightsFileName)).Should().BeTrue();

        // eval on the same 40 held-out games measures the same model the same way.
        var eval = Sae.Run("", "lm", "eval", "--model", model, "--data", games, "--games", "40");
        eval.ExitCode.Should().Be(0, eval.Error);
        var evaluated = JsonDocument.Parse(Sae.Lines(eval.Output)[^1]).RootElement;
        evaluated.GetProperty("legal_move_rate").GetDouble().Should().Be(rate);
        evaluated.GetProperty("games").GetInt32().Should().Be(40);
        evaluated.GetProperty("loss").GetDouble().Should().BeApproximately(trained.GetProperty("loss").GetDouble(), 1e-9);

        // card: the same 40 held-out games, regenerated from the data set's seed, measured the same; the weights named by their SHA-256.
        var shipped = Path.Combine(_dir, "shipped");
        var card = Sae.Run("", "lm", "card", "--model", model, "--name", "tiny", "--data-seed", "5", "--data-games", "300", "--held-out", "40",
            "--probe-games", "20", "--threads", "1", "--out", shipped);
        card.ExitCode.Should().Be(0, card.Error);
        var written = ModelCard.Read(Path.Combine(shipped, PretrainedModels.CardFileName));
        written.DataConfig.Should().BeNull("Othello's games need no settings beyond the seed");
        written.Should().BeEquivalentTo(new { Name = "tiny", Game = "othello", DataSeed = 5UL, HeldOutFirstGame = 260L, HeldOutGames = 40, Layer = 0, ProbeBsp = "mine_yours_blank_masked" });
        written.LegalMoveRate!.Value.Should().BeApproximately(rate, 5e-5, "the card rounds to 4 digits");
        written.Loss.Should().BeApproximately(evaluated.GetProperty("loss").GetDouble(), 5e-5);
        written.ProbeF1.Should().ContainSingle().Which.Should().BeInRange(0, 1);
        written.WeightsSha256.Should().Be(ModelCard.Sha256Of(Path.Combine(shipped, GptFiles.WeightsFileName)))
            .And.Be(ModelCard.Sha256Of(Path.Combine(model, GptFiles.WeightsFileName)), "the same weights, saved the same way");

        // logits: one vocabulary-sized row per token, equal to the library's forward pass.
        var logits = Sae.Run("", "lm", "logits", "--model", model, "--tokens", "37 29 18");
        logits.ExitCode.Should().Be(0, logits.Error);
        var rows = JsonDocument.Parse(Sae.Lines(logits.Output)[^1]).RootElement.GetProperty("logits");
        rows.GetArrayLength().Should().Be(3);
        using var lm = GptFiles.Load(model);
        using var noGrad = no_grad();
        using var input = tensor(new long[] { 37, 29, 18 }, [1, 3]);
        using var want = lm.Logits(input);
        for (var t = 0; t < 3; t++)
        {
            var row = rows[t].EnumerateArray().Select(v => v.GetSingle()).ToArray();
            row.Should().HaveCount(61);
            row.Should().Equal(want[0, t].data<float>().ToArray());
        }

        // logits with bfloat16 products: the library's mixed-precision forward pass, close to float32's.
        var mixed = Sae.Run("", "lm", "logits", "--model", model, "--tokens", "37 29 18", "--dtype", "bfloat16");
        mixed.ExitCode.Should().Be(0, mixed.Error);
        var mixedRows = JsonDocument.Parse(Sae.Lines(mixed.Output)[^1]).RootElement.GetProperty("logits");
        lm.ProductType = ScalarType.BFloat16;
        using var wantMixed = lm.Logits(input);
        for (var t = 0; t < 3; t++)
        {
            var row = mixedRows[t].EnumerateArray().Select(v => v.GetSingle()).ToArray();
            row.Should().Equal(wantMixed[0, t].data<float>().ToArray());
            row.Zip(want[0, t].data<float>().ToArray(), (a, b) => Math.Abs(a - b)).Max().Should().BeLessThan(0.05f, "bfloat16 products round, and only a little");
        }
        lm.ProductType = ScalarType.Float32;

        // collect: a store of the residual stream at every move of the chosen games.
        var store = Path.Combine(_dir, "store");
        var collect = Sae.Run("", "lm", "collect", "--model", model, "--data", games, "--layer", "0", "--first-game", "10", "--games", "5", "--out", store);
        collect.ExitCode.Should().Be(0, collect.Error);
        using var reader = global::Sae.Games.Othello.OthelloGameFile.Open(games);
        var expectedRows = reader.ReadGames(10, 5).Sum(g => Math.Min(g.Length, 59));
        JsonDocument.Parse(Sae.Lines(collect.Output)[^1]).RootElement.GetProperty("rows").GetInt64().Should().Be(expectedRows);
        using (var opened = ActivationStore.Open(store))
        {
            opened.Count.Should().Be(expectedRows);
            opened.Dimension.Should().Be(16);
        }

        // eval run: an SAE trained on the store, and the MLP-neuron baseline, one JSON record per line.
        var sae = Path.Combine(_dir, "sae");
        Sae.Run("", "train", "--activations", store, "--features", "32", "--steps", "20", "--batch", "64", "--warmup", "5", "--out", sae).ExitCode.Should().Be(0);
        var run = Sae.Run("", "eval", "run", "--model", model, "--layer", "0", "--sae", sae, "--data", games, "--first-game", "100",
            "--games-train", "20", "--games-test", "20", "--mlp-neurons", "--out", Path.Combine(_dir, "records.json"));
        run.ExitCode.Should().Be(0, run.Error);
        var records = Sae.Lines(run.Output).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        records.Select(r => r.GetProperty("subject").GetString()).Should().Equal("sae", "mlp_neurons");
        records[0].GetProperty("loss_recovered").ValueKind.Should().Be(JsonValueKind.Number);
        records[0].GetProperty("bsps")[0].GetProperty("bsp").GetString().Should().Be("mine_yours_blank_masked");
        records[1].GetProperty("features").GetInt32().Should().Be(64, "4 x d_model MLP neurons");
        File.Exists(Path.Combine(sae, "eval.json")).Should().BeTrue();
        JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "records.json"))).RootElement.GetArrayLength().Should().Be(2);
    }

    [Fact]
    public void The_shipped_model_is_taken_by_name()
    {
        var games = Games();
        var eval = Sae.Run("", "lm", "eval", "--model", "othello-gpt-small", "--data", games, "--games", "20", "--threads", "1");
        eval.ExitCode.Should().Be(0, eval.Error);
        JsonDocument.Parse(Sae.Lines(eval.Output)[^1]).RootElement.GetProperty("legal_move_rate").GetDouble().Should().BeGreaterThan(0.9, "a trained model predicts legal moves");
        var (code, _, error) = Sae.Run("", "lm", "eval", "--model", "othello-gpt-enormous", "--data", games);
        code.Should().Be(2);
        error.Should().StartWith("sae: error: othello-gpt-enormous: no such file or directory, and no shipped model of that name (shipped: chess-gpt-small, othello-gpt-small)");
    }

    [Fact]
    public void Chess_models_train_on_transcripts_and_collect_at_the_dots()
    {
        var transcripts = Path.Combine(_dir, "chess.txt");
        File.WriteAllLines(transcripts, Enumerable.Range(0, 40).Select(i => global::Sae.Games.Chess.ChessGptTranscript.Format(global::Sae.Games.Chess.RandomChessGames.Game(1, i, maxPlies: 60))));
        var model = Path.Combine(_dir, "chess-model");
        var train = Sae.Run("", "lm", "train", "--game", "chess", "--data", transcripts, "--ctx", "128", "--layers", "1", "--d-model", "16", "--heads", "2",
            "--steps", "5", "--batch", "4", "--warmup", "1", "--held-out", "5", "--out", model);
        train.ExitCode.Should().Be(0, train.Error);
        JsonDocument.Parse(Sae.Lines(train.Output)[^1]).RootElement.GetProperty("loss").GetDouble().Should().BeInRange(0.5, 6, "about ln 32 = 3.5 for an untrained model");
        GptFiles.ReadConfig(model).Should().BeEquivalentTo(new { VocabularySize = 32, ContextLength = 128, Bias = false });

        // eval on the same 5 held-out games: the same loss, and no legal-move rate (chess has none here).
        var eval = Sae.Run("", "lm", "eval", "--game", "chess", "--model", model, "--data", transcripts, "--games", "5");
        eval.ExitCode.Should().Be(0, eval.Error);
        var evaluated = JsonDocument.Parse(Sae.Lines(eval.Output)[^1]).RootElement;
        evaluated.GetProperty("loss").GetDouble().Should().BeApproximately(JsonDocument.Parse(Sae.Lines(train.Output)[^1]).RootElement.GetProperty("loss").GetDouble(), 1e-9);
        evaluated.GetProperty("legal_move_rate").ValueKind.Should().Be(JsonValueKind.Null);
        evaluated.GetProperty("positions").ValueKind.Should().Be(JsonValueKind.Null);
        evaluated.GetProperty("games").GetInt32().Should().Be(5);

        // card: the file's last 5 games, measured the same; the probe is of the paper's chess property.
        var shipped = Path.Combine(_dir, "chess-shipped");
        var card = Sae.Run("", "lm", "card", "--game", "chess", "--model", model, "--name", "tiny-chess", "--data", transcripts, "--data-seed", "1",
            "--data-config", "{\"chess_engine_depth\": 1, \"chess_random_opening\": 4}", "--held-out", "5", "--probe-games", "2", "--threads", "1", "--out", shipped);
        card.ExitCode.Should().Be(0, card.Error);
        var written = ModelCard.Read(Path.Combine(shipped, PretrainedModels.CardFileName));
        written.Should().BeEquivalentTo(new { Name = "tiny-chess", Game = "chess", DataSeed = 1UL, HeldOutFirstGame = 35L, HeldOutGames = 5, Layer = 0, ProbeBsp = "piece_blank_initial_masked", LegalMoveRate = (double?)null });
        written.Loss.Should().BeApproximately(evaluated.GetProperty("loss").GetDouble(), 5e-5, "the card rounds to 4 digits");
        written.ProbeF1.Should().ContainSingle().Which.Should().BeInRange(0, 1);
        written.DataConfig!.ToJsonString().Should().Be("{\"chess_engine_depth\":1,\"chess_random_opening\":4}");
        var bad = Sae.Run("", "lm", "card", "--game", "chess", "--model", model, "--name", "x", "--data", transcripts, "--data-seed", "1",
            "--data-config", "{\"engine\": 1}", "--held-out", "5", "--probe-games", "2", "--out", Path.Combine(_dir, "bad-card"));
        bad.ExitCode.Should().Be(2);
        bad.Error.Should().Contain("--data-config: 'engine' is not an experiment setting");

        var store = Path.Combine(_dir, "chess-store");
        var collect = Sae.Run("", "lm", "collect", "--game", "chess", "--model", model, "--data", transcripts, "--layer", "0", "--games", "3", "--out", store);
        collect.ExitCode.Should().Be(0, collect.Error);
        // A row at every character the model reads (its first 128), as the reference's SAEs read every position.
        var characters = File.ReadLines(transcripts).Take(3).Sum(t => Math.Min(t.Length, 128));
        JsonDocument.Parse(Sae.Lines(collect.Output)[^1]).RootElement.GetProperty("rows").GetInt64().Should().Be(characters);
        using (var opened = ActivationStore.Open(store))
            opened.Count.Should().Be(characters);
    }

    [Fact]
    public void Bad_input_gives_one_error_line_and_exit_code_2()
    {
        var games = Games();
        var (code, _, error) = Sae.Run("", "lm", "logits", "--model", Path.Combine(_dir, "none"), "--tokens", "1 2");
        code.Should().Be(2);
        error.Should().StartWith("sae: error: ").And.Contain("none");
        (code, _, error) = Sae.Run("", "lm", "train", "--data", games, "--d-model", "30", "--heads", "4", "--out", Path.Combine(_dir, "m"));
        code.Should().Be(2);
        error.Should().Contain("n_head 4 does not divide n_embd 30");
        (code, _, error) = Sae.Run("", "lm", "train", "--game", "go", "--data", games, "--out", Path.Combine(_dir, "m"));
        code.Should().Be(2);
        error.Should().Contain("--game go: use othello or chess");
        (code, _, error) = Sae.Run("", "lm", "train", "--data", games, "--held-out", "40", "--device", "tpu", "--out", Path.Combine(_dir, "m"));
        code.Should().Be(2);
        error.Should().Contain("Unknown device 'tpu'");
        (code, _, error) = Sae.Run("", "lm", "card", "--game", "chess", "--model", "othello-gpt-small", "--name", "x", "--data-seed", "1", "--out", Path.Combine(_dir, "m"));
        code.Should().Be(2);
        error.Should().Contain("Give --data (the games file the model trained on).");
        Directory.Exists(Path.Combine(_dir, "m")).Should().BeFalse("nothing is written before the arguments are checked");
    }

    [Fact]
    public void A_pt_file_whose_pickle_calls_os_system_is_refused_with_one_error_line()
    {
        var marker = Path.Combine(_dir, "ran");
        var evil = Path.Combine(_dir, "evil.pt");
        using (var zip = System.IO.Compression.ZipFile.Open(evil, System.IO.Compression.ZipArchiveMode.Create))
        using (var pickle = zip.CreateEntry("archive/data.pkl").Open())
        {
            // Protocol 2: os.system("touch MARKER"), the classic payload of a malicious checkpoint.
            var command = System.Text.Encoding.ASCII.GetBytes($"touch {marker}");
            pickle.Write([0x80, 2, .. "cos\nsystem\n"u8, (byte)'X', (byte)command.Length, 0, 0, 0, .. command, 0x85, (byte)'R', (byte)'.']);
        }
        var (code, _, error) = Sae.Run("", "lm", "logits", "--model", evil, "--tokens", "1 2");
        code.Should().Be(2);
        Sae.Lines(error).Should().ContainSingle().Which.Should().StartWith("sae: error: ").And.Contain("'os.system'");
        File.Exists(marker).Should().BeFalse();
    }
}
