using Sae.Core.Training;
using static TorchSharp.torch;

namespace Sae.Core.Tests.Training;

public sealed class StepBuffersTests
{
    [Fact]
    public void One_call_gives_distinct_buffers_of_the_asked_shapes()
    {
        using var buffers = new StepBuffers(CPU);
        var taken = buffers.For(5, 3, 7, 3, 3);
        taken.Select(t => (t.shape[0], t.shape[1])).Should().Equal((5L, 3L), (5L, 7L), (5L, 3L), (5L, 3L));
        taken.Select(t => t.Handle).Distinct().Should().HaveCount(4);
    }

    [Fact]
    public void The_same_batch_size_reuses_the_tensors_and_another_replaces_them()
    {
        using var buffers = new StepBuffers(CPU);
        var first = buffers.For(4, 2, 6);
        first[0].fill_(1.5f);
        var again = buffers.For(4, 6, 2, 2);
        again[1].Handle.Should().Be(first[0].Handle, "the first [4, 2] buffer is handed out again");
        again[0].Handle.Should().Be(first[1].Handle);
        again[1].data<float>().ToArray().Should().AllBeEquivalentTo(1.5f, "a reused buffer is the same memory");
        again[2].Handle.Should().NotBe(first[0].Handle, "a second [4, 2] buffer is made when one call asks for two");

        var resized = buffers.For(9, 2);
        resized[0].shape.Should().Equal(9, 2);
        first[0].IsInvalid.Should().BeTrue("buffers of the old batch size are released");
    }
}
