using System.Text;
using Sae.Core.Activations;
using Sae.Core.Autoencoders;
using Sae.Core.LanguageModels;
using Sae.Core.Training;
using Sae.Games;
using Sae.Games.Chess;
using Sae.Games.Othello;
using Sae.Metrics.Experiments;

namespace Sae.Fuzz;

/// <summary>
/// The readers of outside input, one target each. A target refuses nothing but what its reader
/// documents, and where a reader can also write, checks that what it read writes back the same.
/// </summary>
internal static class FuzzTargets
{
    /// <summary>Every target.</summary>
    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        new("fen", "ChessFen.Parse, then ChessFen.Write of the result read back", (input, work) =>
            Refusal.Allow(() =>
            {
                var fen = ChessFen.Write(ChessFen.Parse(Text(input)));
                if (ChessFen.Write(ChessFen.Parse(fen)) != fen) throw new InvalidOperationException($"FEN '{fen}' does not read back as itself");
            }, typeof(FenFormatException))),

        new("san", "San.Parse in the position of the first line's FEN (the initial one when it is empty), then San.Write of the move read back", (input, work) =>
        {
            var lines = Text(input).Split('\n', 2);
            Refusal.Allow(() =>
            {
                var position = lines.Length < 2 || lines[0].Length == 0 ? ChessPosition.Initial : ChessFen.Parse(lines[0]);
                var move = San.Parse(position, lines[^1]);
                if (San.Parse(position, San.Write(position, move)) != move) throw new InvalidOperationException($"SAN of {move} does not read back as it");
            }, typeof(FenFormatException), typeof(IllegalMoveException));
        }),

        new("pgn", "PgnReader.ReadGames (a bad game is reported to the callback, never thrown)", (input, work) =>
        {
            foreach (var _ in new PgnReader(new StringReader(Text(input))).ReadGames(_ => { })) { }
        }),

        new("chessgpt", "ChessGptTranscript.Parse and ChessGptTranscript.Encode", (input, work) =>
        {
            var text = Text(input);
            ChessGptTranscript.Parse(text);
            Refusal.Allow(() => ChessGptTranscript.Encode(text), typeof(FormatException));
        }),

        new("othello-moves", "OthelloGame.Parse (the move text of `sae othello trace`)", (input, work) =>
            Refusal.Allow(() => OthelloGame.Parse(Text(input)), typeof(FormatException), typeof(IllegalMoveException))),

        new("othello-file", "OthelloGameFile.Open and ReadGames of every game", (input, work) =>
            Refusal.Allow(() =>
            {
                using var reader = OthelloGameFile.Open(work.Put("othello", "games.othello", input));
                foreach (var _ in reader.ReadGames()) { }
            }, typeof(InvalidGameFileException))),

        new("npy", "NpyFile.Read and ActivationSources.Open of a .npy file, reading every row", (input, work) =>
        {
            var path = work.Put("npy", "activations.npy", input);
            Refusal.Allow(() => NpyFile.Read(path), typeof(InvalidDataException));
            Refusal.Allow(() =>
            {
                using var source = ActivationSources.Open(path);
                var rows = new long[Math.Min(source.Count, 64)];
                for (var i = 0; i < rows.Length; i++) rows[i] = source.Count - 1 - i;
                source.CopyRows(rows, new float[rows.Length * source.Dimension]);
            }, typeof(InvalidDataException));
        }),

        new("safetensors", "SaeFiles.Load of an SAE whose sae_weights.safetensors is the input (header and layout checks, then the tensors)", (input, work) =>
        {
            var folder = CopyOf(work, "sae", "sae-weights");
            work.Put("sae-weights", "sae_weights.safetensors", input);
            Refusal.Allow(() => SaeFiles.Load(folder).Dispose(), typeof(InvalidSaeFileException));
        }),

        new("pt", "GptFiles.Load of a .pt file and DictionaryLearningCheckpoint.Load of an ae.pt (the zip and pickle checks, then TorchSharp.PyBridge)", (input, work) =>
        {
            Refusal.Allow(() => GptFiles.Load(work.Put("pt", "model.pt", input), heads: 1).Dispose(), typeof(InvalidModelFileException));
            work.Put("pt", "ae.pt", input);
            Refusal.Allow(() => DictionaryLearningCheckpoint.Load(work.Folder("pt")).Dispose(), typeof(InvalidSaeFileException));
        }),

        new("sae-config", "SaeFiles.ReadConfig and SaeFiles.Load of an SAE whose cfg.json is the input", (input, work) =>
        {
            var folder = CopyOf(work, "sae", "sae-config");
            work.Put("sae-config", "cfg.json", input);
            Refusal.Allow(() =>
            {
                SaeFiles.ReadConfig(folder);
                SaeFiles.Load(folder).Dispose();
            }, typeof(InvalidSaeFileException));
        }),

        new("model-config", "GptFiles.ReadConfig and GptFiles.Load of a model whose config.json is the input", (input, work) =>
        {
            var folder = CopyOf(work, "model", "model-config");
            work.Put("model-config", GptFiles.ConfigFileName, input);
            Refusal.Allow(() =>
            {
                GptFiles.ReadConfig(folder);
                GptFiles.Load(folder).Dispose();
            }, typeof(InvalidModelFileException));
        }),

        new("experiment-config", "ExperimentConfig.Read (a run folder's config.json)", (input, work) =>
            Refusal.Allow(() => ExperimentConfig.Read(work.Put("experiment", "config.json", input)), typeof(InvalidDataException))),

        new("store-manifest", "ActivationStore.Open of a store whose manifest.json is the input", (input, work) =>
        {
            var folder = CopyOf(work, "store", "store-manifest");
            work.Put("store-manifest", ActivationStore.ManifestFileName, input);
            Refusal.Allow(() => ActivationStore.Open(folder).Dispose(), typeof(InvalidDataException));
        }),

        new("checkpoint", "TrainingCheckpoint.Restore of an SAE training checkpoint whose state.json is the input", (input, work) =>
        {
            var folder = CopyOf(work, "checkpoint", "checkpoint-state");
            work.Put("checkpoint-state", "state.json", input);
            Refusal.Allow(() => TrainingCheckpoint.Restore(folder, [work.Trainer]), typeof(InvalidSaeFileException));
        }),

        new("lm-checkpoint", "GptTraining.Train resuming a language-model checkpoint whose state.json is the input", (input, work) =>
        {
            var folder = CopyOf(work, "lm-checkpoint", "lm-checkpoint-state");
            work.Put("lm-checkpoint-state", "state.json", input);
            Refusal.Allow(() => GptTraining.Train(work.Model, work.Sequences, work.ModelTraining, folder), typeof(InvalidModelFileException));
        }),
    ];

    /// <summary>The input as text, the way the readers' callers read files (UTF-8, invalid bytes replaced).</summary>
    private static string Text(byte[] input) => Encoding.UTF8.GetString(input);

    /// <summary>A fresh copy of the workspace's valid folder <paramref name="source"/> as <paramref name="name"/>.</summary>
    private static string CopyOf(FuzzWorkspace work, string source, string name)
    {
        var target = work.Folder(name);
        foreach (var file in Directory.EnumerateFiles(work.Folder(source)))
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
        return target;
    }
}
