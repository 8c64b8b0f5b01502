using Sae.Core.Activations;
using Sae.Core.Autoencoders;
using Sae.Core.LanguageModels;
using Sae.Core.Training;

namespace Sae.Fuzz;

/// <summary>
/// A scratch folder (in memory under /dev/shm where there is one) holding the valid files a target needs
/// beside the one it fuzzes: an SAE's cfg.json and weights, a model's config and weights, a training
/// checkpoint, an activation store. A file reader's input is written into it before each run.
/// </summary>
internal sealed class FuzzWorkspace : IDisposable
{
    private readonly string _root;

    public FuzzWorkspace()
    {
        var parent = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        _root = Directory.CreateDirectory(Path.Combine(parent, $"sae-fuzz-{Environment.ProcessId}-{Guid.NewGuid():N}")).FullName;
        using (var sae = new StandardSae(4, 8, seed: 1)) SaeFiles.Save(sae, Folder("sae"));
        Model = new GptModel(new GptConfig { Layers = 1, Heads = 1, ModelDimension = 8, ContextLength = 6, VocabularySize = 7 });
        GptFiles.Save(Model, Folder("model"));
        Sequences = new TokenSequences([.. Enumerable.Range(0, 14).Select(i => (long)(i % 7))], 2, 7);
        GptTraining.Train(Model, Sequences, ModelTraining, Folder("lm-checkpoint"));
        Trainer = SaeTrainers.Create("standard", 4, 8, penalty: 0.1, pAnneal: false, steps: 10, annealStart: 0, learningRate: null, warmup: 0, seed: 1);
        TrainingCheckpoint.Save(Folder("checkpoint"), 0, [Trainer]);
        ActivationStore.Write(Folder("store"), 4, Enumerable.Range(0, 3).Select(i => new float[] { i, 1, 2, 3 }));
    }

    /// <summary>The trainer the checkpoint target restores into.</summary>
    public SaeTrainer Trainer { get; }

    /// <summary>The language model the lm-checkpoint target resumes, with its data and options (two steps of two sequences).</summary>
    public GptModel Model { get; }

    /// <inheritdoc cref="Model"/>
    public TokenSequences Sequences { get; }

    /// <inheritdoc cref="Model"/>
    public GptTrainingOptions ModelTraining { get; } = new() { Steps = 2, BatchSize = 2, WarmupSteps = 1 };

    /// <summary>The folder <paramref name="name"/> in the workspace, created if needed.</summary>
    public string Folder(string name) => Directory.CreateDirectory(Path.Combine(_root, name)).FullName;

    /// <summary>Writes <paramref name="input"/> as <paramref name="file"/> in folder <paramref name="folder"/> and returns its path.</summary>
    public string Put(string folder, string file, byte[] input)
    {
        var path = Path.Combine(Folder(folder), file);
        File.WriteAllBytes(path, input);
        return path;
    }

    public void Dispose()
    {
        Trainer.Dispose();
        Model.Dispose();
        Directory.Delete(_root, recursive: true);
    }
}
