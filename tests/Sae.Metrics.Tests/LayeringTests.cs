using System.Reflection;

namespace Sae.Metrics.Tests;

/// <summary>The layers of docs/reference.md §6, checked on the compiled assemblies.</summary>
public class LayeringTests
{
    private static string[] ReferencesOf(string assembly) =>
        [.. Assembly.Load(assembly).GetReferencedAssemblies().Select(a => a.Name!)];

    [Fact]
    public void Sae_Games_is_pure_managed_code_without_tensors()
    {
        ReferencesOf("Sae.Games").Should().NotContain(["TorchSharp", "Sae.Core", "Sae.Metrics"]);
    }

    [Fact]
    public void Sae_Core_knows_nothing_of_games()
    {
        ReferencesOf("Sae.Core").Should().Contain("TorchSharp").And.NotContain(["Sae.Games", "Sae.Metrics"]);
    }

    [Fact]
    public void The_libraries_build_against_the_pinned_TorchSharp()
    {
        Assembly.Load("Sae.Core").GetReferencedAssemblies().Single(a => a.Name == "TorchSharp").Version
            .Should().Be(new Version(0, 107, 0, 0));
    }
}
