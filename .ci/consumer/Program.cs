using Sae.Core.LanguageModels;
using Sae.Games.BoardState;
using Sae.Games.Othello;
using Sae.Metrics.LanguageModels;
using TorchSharp;

// Each package in use: a game is played and labelled (Sae.Games), a tiny OthelloGPT built and run
// (Sae.Core, through the native backend that its package's build files make load here), and the
// game turned into model inputs (Sae.Metrics).
Console.WriteLine(Sae.Core.Native.TorchBackend.EnsureLoaded());
var game = OthelloGame.Parse("f5 d6 c3 d3 c4");
var labels = OthelloProperties.MineYoursBlankMasked.Label(game.Plies);
if (labels.Length != game.Length * 8 * 8 * 3) return Fail($"{labels.Length} labels for {game.Length} plies");

using var model = new GptModel(new GptConfig { Layers = 1, Heads = 2, ModelDimension = 16, MlpDimension = 32 }, seed: 1);
using var tokens = torch.tensor(OthelloSequences.Inputs([game]), [1, OthelloTokenizer.ContextLength]);
using var logits = model.Logits(tokens);
if (!logits.shape.SequenceEqual([1L, OthelloTokenizer.ContextLength, OthelloTokenizer.VocabularySize]))
    return Fail($"logits of shape [{string.Join(", ", logits.shape)}]");
if (!torch.isfinite(logits).all().item<bool>()) return Fail("logits that are not finite");
Console.WriteLine($"{game.Length} moves played and labelled; logits [{string.Join(", ", logits.shape)}] from a {model.ParameterCount:N0}-parameter model");

// The shipped model (Sae.Models), copied beside the application by the package, loads by name and is what its card says.
var card = PretrainedModels.Card("othello-gpt-small");
var weights = Path.Combine(PretrainedModels.Path("othello-gpt-small"), GptFiles.WeightsFileName);
if (ModelCard.Sha256Of(weights) != card.WeightsSha256) return Fail($"othello-gpt-small weights that are not the card's ({card.WeightsSha256})");
using var shipped = GptFiles.Load("othello-gpt-small");
var rate = LegalMoveRate.Measure(shipped, [.. Enumerable.Range(0, 20).Select(i => RandomOthelloGames.Game(card.DataSeed, card.HeldOutFirstGame + i))]).Rate;
if (rate < card.LegalMoveRate - 0.1) return Fail($"a legal-move rate of {rate:F3} from othello-gpt-small; its card says {card.LegalMoveRate:F3}");
Console.WriteLine($"othello-gpt-small: {shipped.ParameterCount:N0} parameters, legal-move rate {rate:F3} on 20 held-out games (card: {card.LegalMoveRate:F3})");
var chessCard = PretrainedModels.Card("chess-gpt-small");
if (ModelCard.Sha256Of(Path.Combine(PretrainedModels.Path("chess-gpt-small"), GptFiles.WeightsFileName)) != chessCard.WeightsSha256)
    return Fail($"chess-gpt-small weights that are not the card's ({chessCard.WeightsSha256})");
using var chess = GptFiles.Load("chess-gpt-small");
if (chess.Config.Layers != chessCard.ProbeF1.Count) return Fail($"a chess-gpt-small of {chess.Config.Layers} layers; its card probes {chessCard.ProbeF1.Count}");
Console.WriteLine($"chess-gpt-small: {chess.ParameterCount:N0} parameters, context {chess.Config.ContextLength} (card: held-out loss {chessCard.Loss:F4})");
return 0;

static int Fail(string what)
{
    Console.Error.WriteLine($"consumer: got {what}");
    return 1;
}
