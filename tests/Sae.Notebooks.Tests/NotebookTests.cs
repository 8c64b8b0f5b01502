using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Documents.Jupyter;
using Microsoft.DotNet.Interactive.Events;

namespace Sae.Notebooks.Tests;

/// <summary>
/// Runs every C# cell of each notebook in samples/notebooks, in order, in an in-process C# kernel, as a
/// reader running the notebook would; fails on the first cell that does not run.
/// </summary>
public class NotebookTests
{
    private static readonly KernelInfoCollection Kernels = new()
    {
        new Microsoft.DotNet.Interactive.Documents.KernelInfo("csharp", "C#", ["cs", "c#"]),
    };

    static NotebookTests() => Kernels.DefaultKernelName = "csharp";

    [Theory]
    [InlineData("quickstart.ipynb")]
    [InlineData("p-annealing.ipynb")]
    public async Task Every_cell_runs_and_the_boards_are_drawn(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "notebooks", name);
        var document = Notebook.Parse(await File.ReadAllTextAsync(path), Kernels);
        var cells = document.Elements.Where(e => e.KernelName == "csharp").ToList();
        cells.Should().NotBeEmpty();

        using var kernel = new CSharpKernel().UseKernelHelpers();
        var html = new List<string>();
        foreach (var (cell, index) in cells.Select((c, i) => (c, i)))
        {
            var result = await kernel.SendAsync(new SubmitCode(References(cell.Contents)));
            var failure = result.Events.OfType<CommandFailed>().FirstOrDefault();
            failure.Should().BeNull($"cell {index + 1} of {name} must run:\n{cell.Contents}\n\n{failure?.Message}");
            html.AddRange(result.Events.OfType<DisplayEvent>().SelectMany(e => e.FormattedValues)
                .Where(v => v.MimeType == "text/html").Select(v => v.Value));
        }
        html.Should().Contain(v => v.Contains("<svg"), "the notebook shows at least one board as a picture");
    }

    /// <summary>
    /// A cell's <c>#r "…/Sae.Notebooks/bin/…/X.dll"</c> names the DLL where a reader's build puts it; here
    /// the same DLL is the one built beside this test.
    /// </summary>
    private static string References(string code) => string.Join('\n', code.Split('\n').Select(line =>
        line.StartsWith("#r \"", StringComparison.Ordinal) && line.Contains("Sae.Notebooks/bin/", StringComparison.Ordinal)
            ? $"#r \"{Path.Combine(AppContext.BaseDirectory, Path.GetFileName(line.TrimEnd().TrimEnd('"')))}\""
            : line));
}
