using Sae.Core.Native;
using TorchSharp;

namespace Sae.Core.Tests;

public class NativeBackendTests
{
    [Fact]
    public void Backend_loads_and_describes_itself()
    {
        TorchBackend.EnsureLoaded().Should().StartWith("libtorch 2.");
    }

    [Fact]
    public void A_matrix_product_runs_and_gives_the_hand_computed_result()
    {
        TorchBackend.EnsureLoaded();
        using var scope = torch.NewDisposeScope();
        var a = torch.tensor(new float[] { 1, 2, 3, 4 }, 2, 2);
        var b = torch.tensor(new float[] { 5, 6, 7, 8 }, 2, 2);
        var product = a.matmul(b);
        product.data<float>().ToArray().Should().Equal(19f, 22f, 43f, 50f);
    }
}
