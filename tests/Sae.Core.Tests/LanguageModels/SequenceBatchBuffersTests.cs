using Sae.Core.LanguageModels;
using static TorchSharp.torch;

namespace Sae.Core.Tests.LanguageModels;

public class SequenceBatchBuffersTests
{
    [Fact]
    public void Refilled_buffers_hold_each_step_exactly_what_a_fresh_batch_holds()
    {
        // Five sequences of 6 tokens (5 target positions), sequence 3 two tokens short, token 0 as padding,
        // random choice masks over a vocabulary of 9 (some positions unscored).
        var random = new Random(3);
        var tokens = Enumerable.Range(0, 30).Select(_ => (long)random.Next(0, 9)).ToArray();
        var choices = Enumerable.Range(0, 25).Select(_ => random.Next(4) == 0 ? 0UL : (ulong)random.Next(1, 1 << 9)).ToArray();
        var data = new TokenSequences(tokens, 5, 6, ignoredTarget: 0, lengths: [6, 6, 6, 4, 6], targetChoices: choices);
        using var buffers = new SequenceBatchBuffers(data, 3, 9, CPU);
        // The second batch has fewer choices in places where the first had many: a buffer not cleared would show it.
        foreach (var indices in new[] { new[] { 0, 3, 4 }, new[] { 2, 2, 1 }, new[] { 4, 0, 3 } })
        {
            var (inputs, targets, distributions) = buffers.Fill(data, indices);
            var (freshInputs, freshTargets) = data.Batch(indices);
            using (freshInputs)
            using (freshTargets)
            using (var freshDistributions = data.TargetDistributions(indices, 9))
            {
                inputs.data<long>().ToArray().Should().Equal(freshInputs.data<long>().ToArray());
                targets.data<long>().ToArray().Should().Equal(freshTargets.data<long>().ToArray());
                distributions!.data<float>().ToArray().Should().Equal(freshDistributions.data<float>().ToArray());
            }
            // Sequence 3 is 4 tokens long: its targets past position 2 are not scored.
            var row = Array.IndexOf(indices, 3);
            if (row >= 0) targets[row].data<long>().ToArray()[3..].Should().Equal(-1, -1);
        }
    }

    [Fact]
    public void Data_without_choices_has_no_distributions_and_wrong_sizes_are_refused()
    {
        var data = new TokenSequences([1, 2, 3, 4, 5, 6], 2, 3);
        using var buffers = new SequenceBatchBuffers(data, 2, 7, CPU);
        var (inputs, targets, distributions) = buffers.Fill(data, [1, 0]);
        distributions.Should().BeNull();
        inputs.data<long>().ToArray().Should().Equal(4, 5, 1, 2);
        targets.data<long>().ToArray().Should().Equal(5, 6, 2, 3);
        FluentActions.Invoking(() => data.WriteBatch([0], new long[3], new long[2])).Should().Throw<ArgumentException>().WithMessage("*2 inputs and targets*");
        var withChoices = new TokenSequences(new long[6], 2, 3, targetChoices: new ulong[4]);
        FluentActions.Invoking(() => withChoices.WriteTargetDistributions([0], 7, new float[13])).Should().Throw<ArgumentException>().WithMessage("*14 values*");
    }
}
