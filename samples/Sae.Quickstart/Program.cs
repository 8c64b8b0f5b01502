// A whole Othello experiment in miniature, through the library's API: games → a small OthelloGPT →
// its residual stream → two SAEs (plain L1 and p-annealed) → coverage and board reconstruction.
// Every size is tiny so that it runs in well under a minute on 2 CPU cores; the paper's sizes are
// 8 layers, d_model 512, 4096 features and 300M activations (a GPU's work). Scale the constants up.
using System.Diagnostics;
using Sae.Core.Activations;
using Sae.Core.Autoencoders;
using Sae.Core.LanguageModels;
using Sae.Core.Training;
using Sae.Games.Othello;
using Sae.Metrics.Evaluation;
using Sae.Metrics.LanguageModels;
using TorchSharp;

const int Games = 2_000, CollectGames = 500, EvalGames = 100, Layer = 1, Features = 128, SaeSteps = 300;
torch.set_num_threads(1);   // tensors this small run slower on several threads, and far slower on a busy machine
var clock = Stopwatch.StartNew();
var work = Directory.CreateTempSubdirectory("sae-quickstart-").FullName;

// 1. Uniformly random legal games, written to an .othello file and read back (all cores, a few ms).
var gamesFile = Path.Combine(work, "games.othello");
RandomOthelloGames.WriteFile(gamesFile, Games + 2 * EvalGames, seed: 42);
using var reader = OthelloGameFile.Open(gamesFile);
var games = reader.ReadGames(0, Games).ToList();
var trainGames = reader.ReadGames(Games, EvalGames).ToList();
var testGames = reader.ReadGames(Games + EvalGames, EvalGames).ToList();

// 2. A tiny OthelloGPT (2 blocks, d_model 32) trained briefly on next-move prediction.
using var model = new GptModel(new GptConfig { Layers = 2, Heads = 2, ModelDimension = 32, MlpDimension = 128 }, seed: 1);
var loss = GptTraining.Train(model, OthelloSequences.From(games),
    new GptTrainingOptions { Steps = 250, BatchSize = 24, WarmupSteps = 25, LearningRate = 3e-3 });
var legal = LegalMoveRate.Measure(model, testGames);
Console.WriteLine($"model: loss {loss:F3}, {legal.Rate:P1} of its top predictions are legal moves  [{clock.Elapsed.TotalSeconds:F0} s]");

// 3. The residual stream after block 1 at every move of the first games, into an activation store.
var store = Path.Combine(work, "activations");
var rows = ActivationCollector.CollectOthello(model, Layer, games[..CollectGames], firstGameIndex: 0, store);
var activations = ActivationStore.Open(store);
Console.WriteLine($"activations: {rows:N0} rows of d = {activations.Dimension}  [{clock.Elapsed.TotalSeconds:F0} s]");

// 4. Two SAEs trained from one activation stream: an L1 penalty, and p-annealing of p from 1 to 0.2.
var trainers = new List<SaeTrainer>
{
    new StandardTrainer(new StandardSae(activations.Dimension, Features, seed: 2), penalty: 0.1, learningRate: 1e-3),
    new StandardTrainer(new StandardSae(activations.Dimension, Features, seed: 2), penalty: 0.1, learningRate: 1e-3,
        pAnnealing: new PAnnealing(0.1, totalSteps: SaeSteps, annealStart: SaeSteps / 4)),
};
SaeTraining.Run(trainers, activations, new TrainingOptions { BatchSize = 512, Steps = SaeSteps });
activations.Dispose();
Directory.Delete(store, recursive: true);                           // the store only feeds training
trainers[1].Sae.Save(Path.Combine(work, "p_anneal"));   // sae_weights.safetensors + cfg.json
Console.WriteLine($"SAEs: {SaeSteps} steps of 512 activations  [{clock.Elapsed.TotalSeconds:F0} s]");

// 5. Every metric of each SAE: features are labelled on the train games, scored on the test games.
GamePositions Positions(List<OthelloGame> split) =>
    GamePositions.Othello(split, [OthelloProperties.MineYoursBlankMasked, OthelloProperties.ValidMoves]);
var (train, test) = (Positions(trainGames), Positions(testGames));
Console.WriteLine();
Console.WriteLine($"{"SAE",-10} {"L0",7} {"var.expl.",9} {"loss rec.",9} {"BSP",-24} {"coverage",8} {"recon. F1",9}");
foreach (var (trainer, name) in trainers.Zip(["standard", "p_anneal"]))
{
    var record = BoardStateEvaluation.EvaluateSae(model, Layer, trainer.Sae, name, train, test);
    foreach (var bsp in record.Bsps)
        Console.WriteLine($"{name,-10} {record.L0,7:F1} {record.FractionOfVarianceExplained,9:F3} {record.LossRecovered,9:F3} " +
                          $"{bsp.Bsp,-24} {bsp.Coverage,8:F3} {bsp.ReconstructionF1,9:F3}");
    trainer.Dispose();   // and its SAE, which the trainer owns
}
Console.WriteLine($"\ndone in {clock.Elapsed.TotalSeconds:F0} s; files in {work}");
