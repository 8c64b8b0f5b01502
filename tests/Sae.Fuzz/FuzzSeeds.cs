using System.Text;
using System.Text.Json;
using Sae.Core.Activations;
using Sae.Games.Othello;
using Sae.Metrics.Experiments;

namespace Sae.Fuzz;

/// <summary>
/// The seed corpus: for each target a few valid inputs (and one or two near misses) that AFL++ mutates.
/// <c>sae-fuzz seeds tests/Sae.Fuzz/corpus</c>, run from the repository's root, writes the committed corpus.
/// </summary>
internal static class FuzzSeeds
{
    /// <summary>Writes every target's seeds into <c><paramref name="corpus"/>/TARGET/</c>.</summary>
    public static void Write(string corpus, FuzzWorkspace work)
    {
        void Text(string target, params string[] inputs)
        {
            for (var i = 0; i < inputs.Length; i++) Bytes(target, $"seed-{i}", Encoding.UTF8.GetBytes(inputs[i]));
        }
        void Bytes(string target, string name, byte[] input)
        {
            var folder = Directory.CreateDirectory(Path.Combine(corpus, target)).FullName;
            File.WriteAllBytes(Path.Combine(folder, name), input);
        }
        byte[] From(string folder, string file) => File.ReadAllBytes(Path.Combine(work.Folder(folder), file));

        Text("fen",
            "rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR w KQkq - 0 1",
            "r3k2r/p1ppqpb1/bn2pnp1/3PN3/1p2P3/2N2Q1p/PPPBBPPP/R3K2R w KQkq - 0 1",
            "rnbqkbnr/ppp1p1pp/8/3pPp2/8/8/PPPP1PPP/RNBQKBNR w KQkq f6 0 3",
            "8/8/8/8/8/8/8/8 w - - 0 1");
        Text("san",
            "\ne4",
            "r3k2r/8/8/8/8/8/8/R3K2R w KQkq - 0 1\nO-O-O",
            "8/P6k/8/8/8/8/8/K7 w - - 0 1\na8=Q+",
            "rnbqkbnr/ppp1p1pp/8/3pPp2/8/8/PPPP1PPP/RNBQKBNR w KQkq f6 0 3\nexf6",
            "\nNbd2");
        Text("pgn",
            "[Event \"Casual\"]\n[White \"A\"]\n[Black \"B\"]\n[Result \"1-0\"]\n\n1. e4 e5 2. Nf3 {a comment} Nc6 (2... d6 3. d4) 3. Bb5 $1 a6?! 4. Ba4 ; rest of line\n4... Nf6 1-0\n",
            "[Event \"?\"]\n[FEN \"8/P6k/8/8/8/8/8/K7 w - - 0 1\"]\n[SetUp \"1\"]\n\n1. a8=Q *\n\n[Event \"next\"]\n\n1. d4 d5 2. c4 1/2-1/2\n",
            "%escaped line\n1. e4 e5 2. Qh5 Nc6 3. Bc4 Nf6 4. Qxf7# 1-0\n");
        Text("chessgpt",
            ";1.e4 e5 2.Nf3 Nc6 3.Bb5 a6 4.Ba4 Nf6 5.O-O Be7",
            ";1.d4 d5 2.c4 dxc4 3.e4 b5 4.a4 c6 5.axb5 cxb5 6.Qf3",
            ";1.e4 e5 2.Qh5 Nc6 3.Bc4 Nf6 4.Qxf7#");
        Text("othello-moves", "f5 d6 c3 d3 c4", "f5 f6 e6 f4 e3 c5 c4 e7", "d3 c5 f6");
        var games = Path.Combine(work.Folder("seeds"), "games.othello");
        RandomOthelloGames.WriteFile(games, 2, seed: 1);
        Bytes("othello-file", "two-games.othello", File.ReadAllBytes(games));
        var npy = Path.Combine(work.Folder("seeds"), "rows.npy");
        NpyFile.Write(npy, new float[,] { { 0, 1, 2 }, { 3, 4, 5 } });
        Bytes("npy", "rows.npy", File.ReadAllBytes(npy));
        Bytes("safetensors", "sae_weights.safetensors", From("sae", "sae_weights.safetensors"));
        foreach (var architecture in new[] { "standard", "gated", "topk" })
        {
            var fixture = Path.Combine("tests", "Sae.Core.Tests", "fixtures", "dictionary_learning", architecture, "ae.pt");
            if (File.Exists(fixture)) Bytes("pt", $"{architecture}-ae.pt", File.ReadAllBytes(fixture));
        }
        Bytes("sae-config", "cfg.json", From("sae", "cfg.json"));
        Bytes("model-config", "config.json", From("model", "config.json"));
        Text("experiment-config", JsonSerializer.Serialize(ExperimentConfig.Smoke), JsonSerializer.Serialize(ExperimentConfig.ChessSmoke));
        Bytes("store-manifest", "manifest.json", From("store", ActivationStore.ManifestFileName));
        Bytes("checkpoint", "state.json", From("checkpoint", "state.json"));
        Bytes("lm-checkpoint", "state.json", From("lm-checkpoint", "state.json"));
    }
}
