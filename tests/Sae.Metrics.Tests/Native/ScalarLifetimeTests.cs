using System.Reflection;

namespace Sae.Metrics.Tests.Native;

public class ScalarLifetimeTests
{
    [Theory]
    [InlineData("Sae.Core")]
    [InlineData("Sae.Metrics")]
    public void No_call_hands_libtorch_a_scalar_that_nothing_keeps_alive(string assembly)
    {
        string.Join(Environment.NewLine, ScalarLifetimeAudit.UnsafeCallSites(Assembly.Load(assembly))).Should().BeEmpty();
    }

    [Fact]
    public void The_audit_finds_an_implicit_scalar_and_a_TorchSharp_method_that_makes_one()
    {
        var sites = ScalarLifetimeAudit.UnsafeCallSites(typeof(UnsafeOnPurpose).Assembly).Where(s => s.Contains(nameof(UnsafeOnPurpose))).ToList();
        sites.Should().Contain(s => s.Contains(nameof(UnsafeOnPurpose.ImplicitScalar)) && s.Contains("op_Implicit"));
        sites.Should().Contain(s => s.Contains(nameof(UnsafeOnPurpose.AddWithoutAlpha)) && s.Contains("add(Tensor)"));
        sites.Should().Contain(s => s.Contains(nameof(UnsafeOnPurpose.ScalarNeverDisposed)) && s.Contains("ToScalar"));
        sites.Should().Contain(s => s.Contains(nameof(UnsafeOnPurpose.OptimizerStep)) && s.Contains("step"));
        sites.Should().NotContain(s => s.Contains(nameof(UnsafeOnPurpose.Safe)));
    }

    /// <summary>Calls the audit must flag, and one it must not.</summary>
    private static class UnsafeOnPurpose
    {
        public static TorchSharp.torch.Tensor ImplicitScalar(TorchSharp.torch.Tensor x) => x.gt(0);

        public static TorchSharp.torch.Tensor AddWithoutAlpha(TorchSharp.torch.Tensor x) => x.add(x);

        public static TorchSharp.torch.Tensor ScalarNeverDisposed(TorchSharp.torch.Tensor x) => x.mul(TorchSharp.ScalarExtensionMethods.ToScalar(2.0));

        public static TorchSharp.torch.Tensor OptimizerStep(TorchSharp.Modules.AdamW optimizer) => optimizer.step();

        public static TorchSharp.torch.Tensor Safe(TorchSharp.torch.Tensor x)
        {
            using var two = TorchSharp.ScalarExtensionMethods.ToScalar(2.0);
            return x.mul(two).add(x, Sae.Core.Native.Scalars.One);
        }
    }
}
