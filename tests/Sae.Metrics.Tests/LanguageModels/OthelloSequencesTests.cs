using System.Numerics;
using Sae.Games;
using Sae.Games.Othello;
using Sae.Metrics.LanguageModels;

namespace Sae.Metrics.Tests.LanguageModels;

public class OthelloSequencesTests
{
    [Fact]
    public void Legal_move_targets_hold_every_move_that_could_come_next_and_the_one_that_did()
    {
        var games = Enumerable.Range(0, 300).Select(i => RandomOthelloGames.Game(21, i)).ToList();
        games.Should().Contain(g => g.PassCount > 0, "the sample must include passes");
        games.Add(OthelloGame.Parse("f5 d6 c3"));
        var data = OthelloSequences.WithLegalMoveTargets(games);
        var plain = OthelloSequences.From(games);
        data.HasTargetChoices.Should().BeTrue();
        const int width = OthelloSequences.Length - 1;
        for (var g = 0; g < games.Count; g++)
        {
            data[g].ToArray().Should().Equal(plain[g].ToArray());
            using var q = data.TargetDistributions([g], OthelloTokenizer.VocabularySize);
            var values = q.data<float>().ToArray();
            for (var j = 0; j < width; j++)
            {
                var row = values.AsSpan(j * OthelloTokenizer.VocabularySize, OthelloTokenizer.VocabularySize);
                var next = data[g][j + 1];
                if (j + 1 >= games[g].Length)
                {
                    row.ToArray().Should().OnlyContain(v => v == 0, "no move follows the game's last");
                    continue;
                }
                // Independent route: try every square on the position after ply j.
                var position = games[g].Plies[j].Position;
                var legal = Enumerable.Range(1, 60).Where(t => position.TryPlay(OthelloTokenizer.ToSquare(t).Index, out _, out _)).ToList();
                legal.Should().Contain((int)next, "the move played next is one of the choices");
                for (var t = 0; t < OthelloTokenizer.VocabularySize; t++)
                    row[t].Should().Be(legal.Contains(t) ? 1f / legal.Count : 0f, $"game {g}, position {j}, token {t}");
            }
        }
    }
}
