using Sae.Fuzz;

namespace Sae.Cli.Tests;

/// <summary>
/// The fuzzing harness's targets (tests/Sae.Fuzz) run in the suite without AFL++: each target's seed
/// corpus, and every input that once crashed or hung a reader (tests/Sae.Fuzz/regressions/TARGET), must
/// be read or refused with the exception the reader documents, and quickly.
/// </summary>
public sealed class FuzzCorpusTests : IDisposable
{
    private readonly FuzzWorkspace _work = new();

    public void Dispose() => _work.Dispose();

    public static TheoryData<string> Targets() => [.. FuzzTargets.All.Select(t => t.Name)];

    [Theory]
    [MemberData(nameof(Targets))]
    public void Every_seed_and_every_input_that_once_failed_is_read_or_refused_by_name(string name)
    {
        var target = FuzzTargets.All.Single(t => t.Name == name);
        var seeds = Path.Combine(AppContext.BaseDirectory, "fuzz", "corpus", name);
        Directory.EnumerateFiles(seeds).Should().NotBeEmpty("each target has a seed corpus");
        var regressions = Path.Combine(AppContext.BaseDirectory, "fuzz", "regressions", name);
        var inputs = Directory.EnumerateFiles(seeds)
            .Concat(Directory.Exists(regressions) ? Directory.EnumerateFiles(regressions) : []);
        foreach (var input in inputs)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            FluentActions.Invoking(() => target.Run(File.ReadAllBytes(input), _work)).Should().NotThrow($"{input} is a {name} input");
            clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10), $"{input} must not hang the reader");
        }
    }
}
