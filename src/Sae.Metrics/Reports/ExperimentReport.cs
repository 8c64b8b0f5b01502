using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Sae.Core.Architectures;
using Sae.Core.LanguageModels;
using Sae.Metrics.Evaluation;
using Sae.Metrics.Experiments;
using Sae.Metrics.Slurm;
using Sae.Metrics.Supervised;

namespace Sae.Metrics.Reports;

/// <summary>
/// The report of a run folder: <c>report.md</c> and <c>report.html</c> (and every record in <c>results.csv</c>) with the paper's frontiers
/// (L0 against variance explained, coverage and board reconstruction, per SAE family), training
/// curves, and a table of every SAE and baseline beside the paper's numbers for the game (docs/reference.md §5); the
/// paper's own SAEs (<see cref="PaperPoints"/>) are drawn on the frontiers as hollow markers.
/// Built only from the files the run wrote (<c>eval/*.json</c>, <c>model/</c>, each SAE's <c>saes/NAME/training.csv</c>),
/// so it can be rebuilt at any time.
/// </summary>
public static class ExperimentReport
{
    /// <summary>The report's Markdown file in the run folder.</summary>
    public const string FileName = "report.md";

    /// <summary>The report's HTML file in the run folder.</summary>
    public const string HtmlFileName = "report.html";

    /// <summary>The file, in an SAE's folder of a run, of its training curve: <see cref="SaeCurveHeader"/>, then a row every 10 steps.</summary>
    public const string SaeCurveFileName = "training.csv";

    /// <summary>The first line of an SAE's training curve: step, the SAE's name, its loss and its L0.</summary>
    public const string SaeCurveHeader = "step,sae,loss,l0\n";

    /// <summary>
    /// The run's game: its configuration's, or for a folder without one (records alone), the registered game that evaluates
    /// <paramref name="headline"/> by default; null where none does.
    /// </summary>
    private static ExperimentGame? GameOf(string runDirectory, string headline) =>
        File.Exists(Path.Combine(runDirectory, Experiment.ConfigFileName))
            ? ExperimentGames.Find(Experiment.ConfigOf(runDirectory).Game)
            : ExperimentGames.All.FirstOrDefault(g => g.DefaultBsps.Contains(headline));

    /// <summary>The title of the report's last section, the time each step took (the only part that differs between two runs of one configuration).</summary>
    public const string TimeTakenHeading = "## Time taken";

    /// <summary>The report's last section: each step's wall time, in the order the steps finished (none where the folder has no timings).</summary>
    private static void TimeTaken(StringBuilder md, IReadOnlyList<StepTiming> timings)
    {
        if (timings.Count == 0) return;
        md.AppendLine(TimeTakenHeading).AppendLine();
        md.AppendLine("| step | stage | minutes |").AppendLine("|---|---|---|");
        foreach (var t in timings)
            md.AppendLine(Invariant($"| {t.Step}{(t.Finished ? "" : " (not finished)")} | {SlurmSubmission.StageName(t.Stage)} | {t.Seconds / 60:F1} |"));
        md.AppendLine().AppendLine(Invariant($"Total {timings.Sum(t => t.Seconds) / 60:F1} minutes of wall time in the steps (an interrupted step counts every attempt; steps that ran at once on several machines are added up)."));
    }

    /// <summary>Writes report.md, report.html and the charts into <paramref name="runDirectory"/>; returns the Markdown.</summary>
    /// <exception cref="InvalidDataException">The folder holds no evaluation records.</exception>
    public static string Write(string runDirectory)
    {
        var evalDir = Path.Combine(runDirectory, "eval");
        var records = Directory.Exists(evalDir)
            ? Directory.GetFiles(evalDir, "*.json").Order(StringComparer.Ordinal).Select(f => JsonSerializer.Deserialize<EvaluationRecord>(File.ReadAllText(f))!).ToList()
            : [];
        if (records.Count == 0) throw new InvalidDataException($"{runDirectory}: no evaluation records in eval/; run the experiment first.");
        var headline = records[0].Bsps[0].Bsp;
        var game = GameOf(runDirectory, headline);
        var paperPoints = game is null ? [] : PaperPoints.Headline(game.Name, headline);
        var saes = records.Where(r => r.Subject == EvaluationSubjects.Sae).ToList();
        var families = saes.GroupBy(Family).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        var charts = Path.Combine(runDirectory, "charts");
        Directory.CreateDirectory(charts);

        // Each family's SAEs joined in L0 order, with their intervals as error bars; the paper's SAEs of the same family as
        // hollow markers of its colour; the baselines as dashed lines; fractions from 0; L0 on a log axis (it spans decades).
        string Frontier(string file, string title, string yLabel, Func<EvaluationRecord, SvgLineChart.ChartPoint> point, Func<PaperPoint, double> paper,
            Func<EvaluationRecord, double?>? baseline = null)
        {
            var chart = new SvgLineChart(title, "L0 (active features per position, log scale)", yLabel).IncludeY(0).LogX();
            foreach (var family in families)
                chart.Add(family.Key, family.Select(point));
            foreach (var family in paperPoints.GroupBy(p => p.Family).OrderBy(g => g.Key, StringComparer.Ordinal))
                chart.AddHollow($"paper L{PaperPoints.HeadlineLayer}: {family.Key}", family.Select(p => (p.L0, paper(p))), colourOf: family.Key);
            if (baseline is not null)
                foreach (var subject in EvaluationSubjects.Baselines)
                    if (records.FirstOrDefault(r => r.Subject == subject) is { } b && baseline(b) is { } value)
                        chart.AddReference(b.Name, value);
            File.WriteAllText(Path.Combine(charts, file), chart.ToSvg(900, 480));
            return $"charts/{file}";
        }
        static SvgLineChart.ChartPoint Scored(EvaluationRecord r, double? y, ConfidenceInterval? interval) =>
            new(r.L0 ?? double.NaN, y ?? double.NaN, interval?.Low, interval?.High);
        var pictures = new List<(string Title, string Path)>
        {
            ("L0 vs fraction of variance explained", Frontier("l0-variance.svg", "Variance explained", "fraction of variance explained", r => Scored(r, r.FractionOfVarianceExplained, null), p => p.VarianceExplained)),
            ($"L0 vs coverage ({headline})", Frontier("l0-coverage.svg", $"Coverage: {headline}", "coverage",
                r => Scored(r, r.Bsps[0].Coverage, r.Bsps[0].CoverageInterval), p => p.Coverage, r => r.Bsps[0].Coverage)),
            ($"L0 vs board reconstruction ({headline})", Frontier("l0-reconstruction.svg", $"Board reconstruction: {headline}", "F1",
                r => Scored(r, r.Bsps[0].ReconstructionF1, r.Bsps[0].ReconstructionInterval), p => p.Reconstruction, r => r.Bsps[0].ReconstructionF1)),
        };
        if (Curve(Path.Combine(runDirectory, "model", "training.csv"), 1, "language model", "cross-entropy (nats)", "Language model training", Path.Combine(charts, "model-training.svg")))
            pictures.Add(("Language model training loss", "charts/model-training.svg"));
        if (SaeCurves(Path.Combine(runDirectory, "saes"), Path.Combine(charts, "sae-l0.svg")))
            pictures.Add(("SAE L0 during training", "charts/sae-l0.svg"));

        foreach (var map in Directory.GetFiles(charts, "feature-*.svg").Order(StringComparer.Ordinal))
            pictures.Add(($"What a feature detects ({Path.GetFileNameWithoutExtension(map)}): how much more often each square holds the class when it fires", $"charts/{Path.GetFileName(map)}"));
        var md = new StringBuilder();
        md.AppendLine("# Sae.NET run report").AppendLine();
        var paperTable = game is null ? [] : PaperPoints.BestOfEachFamily(game.Name, headline);
        md.AppendLine(Invariant($"Run folder `{Path.GetFullPath(runDirectory)}`, written {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC. Headline board state property: `{headline}`") +
                      (game?.BspNote(headline) is { } note ? $" ({note})." : "."));
        if (ModelSummary(runDirectory) is { } model) md.AppendLine().AppendLine(model);
        if (File.Exists(Path.Combine(runDirectory, FeatureBrowserPage.FileName)))
            md.AppendLine().AppendLine($"What single features detect, drawn on the board: the [feature browser]({FeatureBrowserPage.FileName}) (the best SAE of each family).");
        md.AppendLine().AppendLine("## Every SAE and baseline").AppendLine();
        var bspNames = records[0].Bsps.Select(b => b.Bsp).ToList();
        md.AppendLine("| name | subject | L0 | variance explained | loss recovered | " + string.Join(" | ", bspNames.Select(b => $"coverage {b} | reconstruction {b}")) + " |");
        md.AppendLine("|---|---|---|---|---|" + string.Concat(bspNames.Select(_ => "---|---|")));
        foreach (var r in records)
            md.AppendLine($"| {r.Name} | {r.Subject} | {F(r.L0, "F1")} | {F(r.FractionOfVarianceExplained)} | {F(r.LossRecovered)} | " +
                          string.Join(" | ", r.Bsps.Select(b => $"{WithInterval(b.Coverage, b.CoverageInterval)} | {WithInterval(b.ReconstructionF1, b.ReconstructionInterval)}")) + " |");
        if (records.Any(r => r.Bsps.Any(b => b.CoverageInterval is not null || b.ReconstructionInterval is not null)))
            md.AppendLine().AppendLine($"In brackets: 95% bootstrap intervals over games ({BootstrapOptions.Default.Resamples:N0} resamples, seeded): coverage over the train games, reconstruction over the test games.");

        md.AppendLine().AppendLine($"## Best of each family beside the paper ({headline}; the paper's figures are its layer {PaperPoints.HeadlineLayer})").AppendLine();
        md.AppendLine("| family | best coverage (here) | best reconstruction (here) | paper coverage | paper reconstruction |");
        md.AppendLine("|---|---|---|---|---|");
        var best = families.Select(f => new FamilyBest(f.Key, f.Select(r => r.Bsps[0]).MaxBy(b => b.Coverage ?? 0)!, f.Select(r => r.Bsps[0]).MaxBy(b => b.ReconstructionF1)!)).ToList();
        foreach (var b in best)
        {
            var paper = paperTable.FirstOrDefault(p => p.Family == b.Family);
            md.AppendLine($"| {b.Family} | {WithInterval(b.ByCoverage.Coverage, b.ByCoverage.CoverageInterval)} | {WithInterval(b.ByReconstruction.ReconstructionF1, b.ByReconstruction.ReconstructionInterval)} | {(paper.Family is null ? "" : F(paper.Coverage))} | {(paper.Family is null ? "" : F(paper.Reconstruction))} |");
        }
        foreach (var (subject, paperName) in new[] { (EvaluationSubjects.RandomModelSae, PaperPoints.RandomModelFamily), (EvaluationSubjects.MlpNeurons, PaperPoints.MlpNeuronsFamily + ", best layer"), (EvaluationSubjects.LinearProbe, "") })
            if (records.FirstOrDefault(r => r.Subject == subject) is { } baseline)
            {
                var paper = paperTable.FirstOrDefault(p => p.Family == paperName);
                var scores = baseline.Bsps[0];
                md.AppendLine($"| {baseline.Name} | {WithInterval(scores.Coverage, scores.CoverageInterval)} | {WithInterval(scores.ReconstructionF1, scores.ReconstructionInterval)} | {(paper.Family is null ? "" : F(paper.Coverage))} | {(paper.Family is null ? "" : F(paper.Reconstruction))} |");
            }

        md.AppendLine().AppendLine("## What the numbers say").AppendLine();
        foreach (var line in Findings(best, records)) md.AppendLine($"- {line}");
        md.AppendLine().AppendLine("## Pictures").AppendLine();
        foreach (var (title, path) in pictures) md.AppendLine($"### {title}").AppendLine().AppendLine($"![{title}]({path})").AppendLine();
        TimeTaken(md, StepTiming.ReadAll(runDirectory));
        var markdown = md.ToString();
        File.WriteAllText(Path.Combine(runDirectory, FileName), markdown);
        File.WriteAllText(Path.Combine(runDirectory, "results.csv"), EvaluationTable.ToCsv(records));
        File.WriteAllText(Path.Combine(runDirectory, HtmlFileName), Html(markdown, runDirectory));
        return markdown;
    }

    /// <summary>The best SAE of a family on the headline BSP: by coverage, and by reconstruction.</summary>
    private sealed record FamilyBest(string Family, BspScores ByCoverage, BspScores ByReconstruction);

    /// <summary>
    /// Statements computed from the measured numbers: p-annealing against its base family, and SAEs against the
    /// random-model baseline. A difference is called higher or lower only where the two 95% intervals separate.
    /// </summary>
    private static IEnumerable<string> Findings(IReadOnlyList<FamilyBest> best, IReadOnlyList<EvaluationRecord> records)
    {
        foreach (var base_ in new[] { "Standard", "Gated" })
        {
            var plain = best.FirstOrDefault(b => b.Family == base_);
            var annealed = best.FirstOrDefault(b => b.Family == base_ + " + p-anneal");
            if (plain is null || annealed is null) continue;
            yield return $"p-annealing, {base_}: best coverage {F(annealed.ByCoverage.Coverage)} with p-annealing against {F(plain.ByCoverage.Coverage)} without " +
                         $"({Compare(annealed.ByCoverage.Coverage ?? 0, annealed.ByCoverage.CoverageInterval, plain.ByCoverage.Coverage ?? 0, plain.ByCoverage.CoverageInterval)}); " +
                         $"best reconstruction {F(annealed.ByReconstruction.ReconstructionF1)} against {F(plain.ByReconstruction.ReconstructionF1)} " +
                         $"({Compare(annealed.ByReconstruction.ReconstructionF1, annealed.ByReconstruction.ReconstructionInterval, plain.ByReconstruction.ReconstructionF1, plain.ByReconstruction.ReconstructionInterval)}).";
        }
        if (records.FirstOrDefault(r => r.Subject == EvaluationSubjects.RandomModelSae) is { } random && best.Count > 0)
        {
            var top = best.MaxBy(b => b.ByReconstruction.ReconstructionF1)!;
            var topCoverage = best.MaxBy(b => b.ByCoverage.Coverage ?? 0)!;
            var baseline = random.Bsps[0];
            yield return $"Best SAE reconstruction {F(top.ByReconstruction.ReconstructionF1)} ({top.Family}) against {F(baseline.ReconstructionF1)} for an SAE on a randomly initialised model " +
                         $"({Compare(top.ByReconstruction.ReconstructionF1, top.ByReconstruction.ReconstructionInterval, baseline.ReconstructionF1, baseline.ReconstructionInterval)}); " +
                         $"coverage {F(topCoverage.ByCoverage.Coverage)} against {F(baseline.Coverage)} " +
                         $"({Compare(topCoverage.ByCoverage.Coverage ?? 0, topCoverage.ByCoverage.CoverageInterval, baseline.Coverage ?? 0, baseline.CoverageInterval)}).";
        }
        if (records.FirstOrDefault(r => r.Subject == EvaluationSubjects.LinearProbe) is { } probe)
            yield return $"The linear probe reconstructs the board with F1 {WithInterval(probe.Bsps[0].ReconstructionF1, probe.Bsps[0].ReconstructionInterval)}: the supervised upper baseline for what the layer holds linearly.";
    }

    /// <summary>
    /// How <paramref name="a"/> compares with <paramref name="b"/>: by their intervals where both have one (higher or lower
    /// only where they separate), otherwise at the three decimals the report shows.
    /// </summary>
    private static string Compare(double a, ConfidenceInterval? aInterval, double b, ConfidenceInterval? bInterval)
    {
        if (aInterval is not null && bInterval is not null)
            return !aInterval.SeparatesFrom(bInterval) ? "the 95% intervals overlap: not measurably different at this size"
                : a > b ? "higher; the 95% intervals separate" : "lower; the 95% intervals separate";
        return Math.Round(a, 3).CompareTo(Math.Round(b, 3)) switch { > 0 => "higher", < 0 => "lower", _ => "equal at three decimals" };
    }

    /// <summary>A value with its interval in brackets, where it has one: <c>0.912 [0.897, 0.925]</c>.</summary>
    private static string WithInterval(double? value, ConfidenceInterval? interval) =>
        interval is null ? F(value) : $"{F(value)} [{F(interval.Low)}, {F(interval.High)}]";

    /// <summary>
    /// The family an SAE's record belongs to, as the report names it: <c>Standard</c>, <c>Gated + p-anneal</c>, <c>TopK</c>, ...
    /// The experiment names its SAEs <c>ARCHITECTURE[-anneal]-VALUE</c> (<see cref="Experiment.SweepNames"/>), which says how
    /// each was trained (a BatchTopK SAE saves as JumpReLU); other records fall back to the architecture their cfg.json names.
    /// </summary>
    internal static string Family(EvaluationRecord record)
    {
        var trained = SaeArchitectures.All.Where(a => record.Name.StartsWith(a.Name + "-", StringComparison.Ordinal)).MaxBy(a => a.Name.Length);
        var annealed = record.Name.Contains("-anneal-", StringComparison.Ordinal);
        return (trained ?? SaeArchitectures.Find(record.Architecture))?.FamilyLabel(annealed) ?? record.Architecture ?? record.Name;
    }

    private static string? ModelSummary(string runDirectory)
    {
        var path = Path.Combine(runDirectory, "model", "config.json");
        if (!File.Exists(path)) return null;
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement;
        var shape = $"{root.GetProperty("n_layer").GetInt32()} layers, d_model {root.GetProperty("n_embd").GetInt32()}, {root.GetProperty("n_head").GetInt32()} heads";
        if (!root.TryGetProperty("training", out var t)) return $"Language model: {shape}.";
        // A trained model records "held_out_loss" (GameModelTraining); a model imported by the experiment, or trained by it before, "loss".
        var loss = Number(t, "held_out_loss") ?? Number(t, "loss");
        var lossText = loss is { } l ? Invariant($", loss {l:F3} nats") : "";
        var cardPath = Path.Combine(runDirectory, "model", PretrainedModels.CardFileName);
        if (File.Exists(cardPath) && ModelCard.Read(cardPath) is var card)
            shape += $", the shipped model {card.Name} (model card: model/{PretrainedModels.NarrativeCardFileName}; weights SHA-256 {card.WeightsSha256[..12]}…)";
        else if (t.TryGetProperty("source", out var source) && source.ValueKind == JsonValueKind.String)
            shape += $", trained elsewhere ({source.GetString()})";
        return Number(t, "legal_move_rate") is { } rate
            ? Invariant($"Language model: {shape}; legal-move rate {rate:F3} on the test games (top-1 prediction legal){lossText}.")
            : $"Language model: {shape}{lossText}.";
    }

    private static double? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    private static bool Curve(string csv, int column, string name, string yLabel, string title, string svg)
    {
        if (!File.Exists(csv)) return false;
        var points = File.ReadLines(csv).Skip(1).Select(l => l.Split(','))
            .Select(p => (double.Parse(p[0], CultureInfo.InvariantCulture), double.Parse(p[column], CultureInfo.InvariantCulture))).ToList();
        File.WriteAllText(svg, new SvgLineChart(title, "step", yLabel).Add(name, points, markers: false).ToSvg());
        return points.Count > 0;
    }

    /// <summary>
    /// Draws the SAEs' L0 curves from each SAE's <see cref="SaeCurveFileName"/> in <paramref name="saesDirectory"/>, in name order, or from the one
    /// <c>training.csv</c> of every SAE that run folders made before kept there.
    /// </summary>
    private static bool SaeCurves(string saesDirectory, string svg)
    {
        if (!Directory.Exists(saesDirectory)) return false;
        var files = Directory.GetDirectories(saesDirectory).Order(StringComparer.Ordinal).Select(d => Path.Combine(d, SaeCurveFileName))
            .Prepend(Path.Combine(saesDirectory, SaeCurveFileName)).Where(File.Exists).ToList();
        if (files.Count == 0) return false;
        var chart = new SvgLineChart("SAE training", "step", "L0");
        foreach (var group in files.SelectMany(File.ReadLines).Where(l => !l.StartsWith("step,", StringComparison.Ordinal)).Select(l => l.Split(',')).GroupBy(p => p[1]))
            chart.Add(group.Key, group.Select(p => (double.Parse(p[0], CultureInfo.InvariantCulture), double.Parse(p[3], CultureInfo.InvariantCulture))), markers: false);
        File.WriteAllText(svg, chart.ToSvg());
        return true;
    }

    /// <summary>
    /// Sorts a report table by the clicked column: numerically where the cells start with a number (an interval's
    /// point estimate), else as text; a second click reverses. Empty cells sort last. Inline, so the page stays one
    /// file that makes no request.
    /// </summary>
    private const string SortScript = """
        document.querySelectorAll('table.sortable').forEach(function (table) {
          table.querySelectorAll('th').forEach(function (th, column) {
            th.addEventListener('click', function () {
              var rows = Array.prototype.slice.call(table.querySelectorAll('tr')).slice(1);
              var descending = th.getAttribute('aria-sort') === 'ascending';
              table.querySelectorAll('th').forEach(function (other) { other.removeAttribute('aria-sort'); });
              th.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
              function key(row) { var text = row.children[column].textContent.trim(); var n = parseFloat(text); return { empty: text === '', n: n, text: text }; }
              rows.sort(function (a, b) {
                var x = key(a), y = key(b);
                if (x.empty !== y.empty) return x.empty ? 1 : -1;
                var order = !isNaN(x.n) && !isNaN(y.n) ? x.n - y.n : x.text.localeCompare(y.text);
                return descending ? -order : order;
              });
              rows.forEach(function (row) { row.parentNode.appendChild(row); });
            });
          });
        });
        """;

    /// <summary>The Markdown as a standalone HTML page: tables as sortable tables in a scroll container, pictures inlined.</summary>
    private static string Html(string markdown, string runDirectory)
    {
        var html = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Sae.NET run report</title>" +
            "<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}.table-scroll{overflow-x:auto;max-width:100%}" +
            "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 6px;text-align:right}td:first-child{text-align:left}" +
            "th{cursor:pointer;background:#f4f4f4;position:sticky;top:0}th[aria-sort=ascending]::after{content:' \\25B2'}th[aria-sort=descending]::after{content:' \\25BC'}" +
            "svg{max-width:100%;height:auto}</style></head><body>");
        var inTable = false;
        foreach (var line in markdown.Split('\n'))
        {
            if (line.StartsWith('|'))
            {
                if (line.StartsWith("|---", StringComparison.Ordinal)) continue;
                var cells = line.Trim('|').Split('|').Select(c => WebUtility.HtmlEncode(c.Trim()));
                html.Append(inTable ? "<tr>" + string.Concat(cells.Select(c => $"<td>{c}</td>")) + "</tr>"
                    : "<div class=\"table-scroll\"><table class=\"sortable\"><tr>" + string.Concat(cells.Select(c => $"<th title=\"sort by this column\">{c}</th>")) + "</tr>");
                inTable = true;
                continue;
            }
            if (inTable) { html.Append("</table></div>"); inTable = false; }
            if (line.StartsWith("![", StringComparison.Ordinal))
            {
                var path = line[(line.LastIndexOf("](", StringComparison.Ordinal) + 2)..line.LastIndexOf(')')];
                html.Append(File.ReadAllText(Path.Combine(runDirectory, path)));
            }
            else if (line.StartsWith("### ", StringComparison.Ordinal)) html.Append($"<h3>{WebUtility.HtmlEncode(line[4..])}</h3>");
            else if (line.StartsWith("## ", StringComparison.Ordinal)) html.Append($"<h2>{WebUtility.HtmlEncode(line[3..])}</h2>");
            else if (line.StartsWith("# ", StringComparison.Ordinal)) html.Append($"<h1>{WebUtility.HtmlEncode(line[2..])}</h1>");
            else if (line.StartsWith("- ", StringComparison.Ordinal)) html.Append($"<li>{WebUtility.HtmlEncode(line[2..])}</li>");
            else if (line.Length > 0) html.Append($"<p>{Links(WebUtility.HtmlEncode(line))}</p>");
        }
        if (inTable) html.Append("</table></div>");
        return html.Append("<script>").Append(SortScript).Append("</script></body></html>").ToString();
    }

    /// <summary>Markdown links <c>[text](file)</c> in already-encoded text as anchors to files of the run folder.</summary>
    private static string Links(string encoded) => System.Text.RegularExpressions.Regex.Replace(encoded, @"\[([^\]]+)\]\(([\w.\-/]+)\)", "<a href=\"$2\">$1</a>");

    private static string F(double? value, string format = "F3") => value is { } v && double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
