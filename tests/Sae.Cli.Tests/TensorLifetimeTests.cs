using Sae.Metrics.Tests.Native;

namespace Sae.Cli.Tests;

public class TensorLifetimeTests
{
    [Fact]
    public void No_call_of_the_tool_hands_libtorch_a_tensor_that_nothing_keeps_alive()
    {
        string.Join(Environment.NewLine, TensorLifetimeAudit.UnsafeCallSites(typeof(SaeCommand).Assembly)).Should().BeEmpty();
    }
}
