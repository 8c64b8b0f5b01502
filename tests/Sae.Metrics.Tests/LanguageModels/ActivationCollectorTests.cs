using Sae.Core.Activations;
using Sae.Core.LanguageModels;
using Sae.Games.Othello;
using Sae.Metrics.LanguageModels;
using static TorchSharp.torch;

namespace Sae.Metrics.Tests.LanguageModels;

public sealed class ActivationCollectorTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "collect-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private static GptModel SmallOthelloModel() => new(new GptConfig { Layers = 2, Heads = 2, ModelDimension = 8, MlpDimension = 16 }, seed: 3);

    [Fact]
    public void Rows_are_the_residual_stream_at_every_move_position_with_their_game_and_position()
    {
        var games = Enumerable.Range(0, 5).Select(i => RandomOthelloGames.Game(11, i)).ToList();
        games.Add(OthelloGame.Parse("f5 d6 c3")); // a short game: three rows only
        using var model = SmallOthelloModel();
        var rows = ActivationCollector.CollectOthello(model, 0, games, firstGameIndex: 100, _dir, batchSize: 4);

        var expectedRows = games.Sum(g => Math.Min(g.Length, 59));
        rows.Should().Be(expectedRows);
        using var store = ActivationStore.Open(_dir);
        store.Count.Should().Be(expectedRows);
        var pairs = ReadPairs(Path.Combine(_dir, ActivationCollector.PositionsFileName), expectedRows);

        // Independent route: one game at a time through the model.
        using var noGrad = no_grad();
        var row = 0;
        var values = new float[8];
        for (var g = 0; g < games.Count; g++)
        {
            var tokens = OthelloTokenizer.Encode(games[g]).Select(t => (long)t).ToArray();
            using var input = tensor(tokens, [1, tokens.Length]);
            using var residual = model.ResidualStream(input, 0);
            for (var t = 0; t < Math.Min(games[g].Length, 59); t++, row++)
            {
                pairs[row].Should().Be((100 + g, t));
                store.CopyRows([row], values);
                var want = residual[0, t].data<float>().ToArray();
                values.Should().BeEquivalentTo(want, o => o.Using<float>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-5f)).WhenTypeIs<float>());
            }
        }
    }

    [Fact]
    public void Positions_outside_the_sequence_are_rejected_and_leave_no_store()
    {
        using var model = SmallOthelloModel();
        FluentActions.Invoking(() => ActivationCollector.Collect(model, 0, new long[59], 59, [[59]], 0, _dir))
            .Should().Throw<ArgumentException>().WithMessage("*outside 0..58*");
        ActivationStore.IsStore(_dir).Should().BeFalse();
    }

    private static (int Game, int Position)[] ReadPairs(string path, int rows)
    {
        var bytes = File.ReadAllBytes(path);
        var headerLength = BitConverter.ToUInt16(bytes, 8);
        var header = System.Text.Encoding.Latin1.GetString(bytes, 10, headerLength);
        header.Should().Contain("'<i4'").And.Contain($"({rows}, 2)");
        var start = 10 + headerLength;
        return Enumerable.Range(0, rows).Select(r => (BitConverter.ToInt32(bytes, start + r * 8), BitConverter.ToInt32(bytes, start + r * 8 + 4))).ToArray();
    }
}
