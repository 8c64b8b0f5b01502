using System.Reflection;
using static TorchSharp.torch;

namespace Sae.Metrics.Tests.Native;

public class TensorLifetimeTests
{
    [Theory]
    [InlineData("Sae.Core")]
    [InlineData("Sae.Metrics")]
    public void No_call_hands_libtorch_a_tensor_that_nothing_keeps_alive(string assembly)
    {
        string.Join(Environment.NewLine, TensorLifetimeAudit.UnsafeCallSites(Assembly.Load(assembly))).Should().BeEmpty();
    }

    [Fact]
    public void The_audit_finds_temporaries_and_last_uses_outside_a_scope_and_nothing_inside_one()
    {
        var sites = TensorLifetimeAudit.UnsafeCallSites(typeof(UnsafeOnPurpose).Assembly).Where(s => s.Contains($"{nameof(TensorLifetimeTests)}+{nameof(UnsafeOnPurpose)}")).ToList();
        sites.Should().Contain(s => s.Contains(nameof(UnsafeOnPurpose.TemporaryReceiver)) && s.Contains("the receiver of Tensor.contiguous"));
        sites.Should().Contain(s => s.Contains(nameof(UnsafeOnPurpose.TemporaryArgument)) && s.Contains("an argument of Tensor.copy_"));
        sites.Should().Contain(s => s.Contains(nameof(UnsafeOnPurpose.TemporaryGradient)) && s.Contains("set_grad"));
        sites.Should().Contain(s => s.Contains(nameof(UnsafeOnPurpose.ArrayOfTemporaries)) && s.Contains("collection holding temporary tensors"));
        sites.Should().Contain(s => s.Contains(nameof(UnsafeOnPurpose.LastUse)) && s.Contains("at its last use"));
        sites.Should().Contain(s => s.Contains("OnlyCalledOutsideAScope"));
        sites.Should().NotContain(s => s.Contains(nameof(UnsafeOnPurpose.InPlaceChain)));
        sites.Should().NotContain(s => s.Contains(nameof(UnsafeOnPurpose.Scoped)));
        sites.Should().NotContain(s => s.Contains(nameof(UnsafeOnPurpose.HeldUntilDisposed)));
        sites.Should().NotContain(s => s.Contains("OnlyCalledInsideAScope"));
    }

    /// <summary>Calls the audit must flag, and ones it must not.</summary>
    private static class UnsafeOnPurpose
    {
        public static Tensor TemporaryReceiver(Tensor x) => x.t().contiguous();

        public static void TemporaryArgument(Tensor x, Tensor y) => x.copy_(y.t());

        public static void TemporaryGradient(Tensor parameter) => parameter.grad = zeros_like(parameter);

        public static Tensor ArrayOfTemporaries(Tensor x) => cat([x.t(), x.t()], 0);

        public static Tensor LastUse(Tensor x)
        {
            var transposed = x.t();
            return transposed.contiguous();
        }

        public static Tensor InPlaceChain(Tensor x) => x.clone().mul_(x).add_(x);

        public static Tensor Scoped(Tensor x)
        {
            using var scope = NewDisposeScope();
            return x.t().contiguous().MoveToOuterDisposeScope();
        }

        public static Tensor HeldUntilDisposed(Tensor x)
        {
            using var transposed = x.t();
            return transposed.contiguous();
        }

        private static Tensor OnlyCalledInsideAScope(Tensor x) => x.t().contiguous();

        private static Tensor OnlyCalledOutsideAScope(Tensor x) => x.t().contiguous();

        public static Tensor CallsInsideAScope(Tensor x)
        {
            using var scope = NewDisposeScope();
            return OnlyCalledInsideAScope(x).MoveToOuterDisposeScope();
        }

        public static Tensor CallsOutsideAScope(Tensor x) => OnlyCalledOutsideAScope(x);
    }
}
