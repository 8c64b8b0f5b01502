using System.Globalization;

namespace Sae.Metrics.Reports;

/// <summary>
/// The paper's own per-SAE results, as its reference repository saved them (one point per evaluated SAE or
/// baseline), compacted into <c>PaperPoints.csv</c> by <c>tools/make_paper_points.py</c> and embedded in the
/// assembly. The report draws them beside a run's SAEs as hollow markers, and takes the paper's best of each
/// family from them (docs/reference.md §5).
/// </summary>
public static class PaperPoints
{
    /// <summary>The paper's main layer: its headline results and per-family sweeps are all on layer 5.</summary>
    public const int HeadlineLayer = 5;

    /// <summary>The family name the paper's SAEs on a randomly initialised model carry.</summary>
    public const string RandomModelFamily = "SAE on a random model";

    /// <summary>The family name of the MLP neurons used as features (one point per layer).</summary>
    public const string MlpNeuronsFamily = "MLP neurons";

    private static readonly Lazy<IReadOnlyList<PaperPoint>> Points = new(Load);

    /// <summary>Every point: both games, trained and random models, every layer and BSP the table carries.</summary>
    public static IReadOnlyList<PaperPoint> All => Points.Value;

    /// <summary>
    /// The points of one game and BSP: the trained model's SAEs at the paper's main layer, and the SAEs on a random model.
    /// </summary>
    /// <param name="game"><c>othello</c> or <c>chess</c>.</param>
    /// <param name="bsp">The BSP's name as the library spells it (<c>mine_yours_blank_masked</c>, <c>piece_blank_initial_masked</c>, ...).</param>
    public static IReadOnlyList<PaperPoint> Headline(string game, string bsp) =>
        [.. All.Where(p => p.Game == game && p.Bsp == bsp && p.Layer == HeadlineLayer && p.Family != MlpNeuronsFamily)];

    /// <summary>
    /// The paper's best of each family for one game and BSP (docs/reference.md §5): best coverage and best
    /// reconstruction, each maximised separately over the family's SAEs at layer 5 (the MLP neurons over every layer,
    /// named <c>MLP neurons, best layer</c>).
    /// </summary>
    public static IReadOnlyList<(string Family, double Coverage, double Reconstruction)> BestOfEachFamily(string game, string bsp)
    {
        var points = All.Where(p => p.Game == game && p.Bsp == bsp).ToList();
        var families = points.Where(p => p.Layer == HeadlineLayer && p.Family != MlpNeuronsFamily).GroupBy(p => p.Family)
            .Select(g => (g.Key, g.Max(p => p.Coverage), g.Max(p => p.Reconstruction))).ToList();
        var mlp = points.Where(p => p.Family == MlpNeuronsFamily).ToList();
        if (mlp.Count > 0) families.Add((MlpNeuronsFamily + ", best layer", mlp.Max(p => p.Coverage), mlp.Max(p => p.Reconstruction)));
        return families;
    }

    private static IReadOnlyList<PaperPoint> Load()
    {
        using var stream = typeof(PaperPoints).Assembly.GetManifestResourceStream("Sae.Metrics.PaperPoints.csv")
            ?? throw new InvalidOperationException("The assembly lacks its embedded PaperPoints.csv.");
        using var reader = new StreamReader(stream);
        var header = reader.ReadLine();
        if (header != "game,model,layer,family,l0,variance_explained,loss_recovered,bsp,coverage,reconstruction")
            throw new InvalidDataException($"PaperPoints.csv: unexpected header '{header}'.");
        var points = new List<PaperPoint>();
        for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            var f = line.Split(',');
            points.Add(new PaperPoint(f[0], f[1] == "random", int.Parse(f[2], CultureInfo.InvariantCulture), f[3],
                Number(f[4]), Number(f[5]), Number(f[6]), f[7], Number(f[8]), Number(f[9])));
        }
        return points;
    }

    private static double Number(string text) => text.Length == 0 ? double.NaN : double.Parse(text, CultureInfo.InvariantCulture);
}
