using System.Text;
using System.Text.Json;

namespace Sae.Metrics.Reports;

/// <summary>
/// The feature browser of a run: one self-contained HTML page (no server, no network) with a chooser of SAEs;
/// for the chosen SAE a sortable, filterable list of its features (density, maximum, board-specificity, best
/// element with threshold, precision, recall and F1, whether it labels anything), and for the chosen feature the
/// lift map of its class on the board with a colour scale and legend, its top positions drawn as boards (the
/// move just played outlined, the legal moves dotted), its activation histogram and its nearest decoder
/// neighbours. Othello and chess boards are both drawn. The data is embedded as JSON and drawn by inline script.
/// </summary>
public static class FeatureBrowserPage
{
    /// <summary>The page's file name in a run folder.</summary>
    public const string FileName = "features.html";

    /// <summary>Writes the page for <paramref name="saes"/> to <paramref name="path"/> (through a temporary file, so no half-written page is left).</summary>
    /// <exception cref="ArgumentException">No SAE is given.</exception>
    public static void Write(string path, IReadOnlyList<FeatureBrowserData> saes)
    {
        if (saes.Count == 0) throw new ArgumentException("Give at least one SAE's data.", nameof(saes));
        var json = JsonSerializer.Serialize(saes, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase });
        var html = new StringBuilder()
            .Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Sae.NET feature browser</title><style>").Append(Style).Append("</style></head><body>")
            .Append("<h1>Feature browser</h1><p>Choose an SAE, then a feature (the most board-specific and the most precise are offered first; ★ marks those with a closer look).</p>")
            .Append("<label>SAE <select id=\"sae\"></select></label> <label>filter <input id=\"filter\" placeholder=\"feature, square or class\"></label> ")
            .Append("<label><input type=\"checkbox\" id=\"labelled\"> only features that label something</label>")
            .Append("<div id=\"main\"><div class=\"list\"><table id=\"feature-list\"><thead><tr>")
            .Append("<th data-key=\"feature\">feature</th><th data-key=\"maxLift\">lift</th><th data-key=\"density\">density</th><th data-key=\"maxActivation\">max</th>")
            .Append("<th data-key=\"element\">best element</th><th data-key=\"threshold\">threshold</th><th data-key=\"precision\">precision</th><th data-key=\"recall\">recall</th>")
            .Append("<th data-key=\"f1\">F1</th><th data-key=\"labelsAnything\">labels</th></tr></thead><tbody></tbody></table></div><div id=\"detail\"></div></div>")
            .Append("<script type=\"application/json\" id=\"data\">").Append(json).Append("</script><script>").Append(Script).Append("</script></body></html>");
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, html.ToString());
        File.Move(temporary, path, overwrite: true);
    }

    private const string Style =
        "body{font-family:sans-serif;margin:1em}#main{display:flex;gap:1.5em;align-items:flex-start}.list{max-height:80vh;overflow:auto;flex:0 0 auto}" +
        "table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ccc;padding:2px 5px;text-align:right}th{cursor:pointer;background:#f4f4f4;position:sticky;top:0}" +
        "tr.chosen{background:#ffe9a8}tbody tr{cursor:pointer}#detail{flex:1 1 auto}.boards{display:flex;flex-wrap:wrap;gap:6px}.boards figure{margin:0;font-size:11px;text-align:center}" +
        "h3{margin:.6em 0 .3em}";

    private const string Script = """
        (function () {
          var saes = JSON.parse(document.getElementById('data').textContent);
          var chooser = document.getElementById('sae'), filter = document.getElementById('filter'), labelled = document.getElementById('labelled');
          var body = document.querySelector('#feature-list tbody'), detail = document.getElementById('detail');
          var sortKey = null, descending = false, current = null, chosen = null;
          var files = 'abcdefgh';
          function name(square) { return files[square % 8] + (Math.floor(square / 8) + 1); }
          function f3(x) { return x.toFixed(3); }
          function element(f) { return f.square === null ? '' : name(f.square) + ' class ' + f.channel; }
          function value(f, key) { return key === 'element' ? element(f) : key === 'labelsAnything' ? (f.labelsAnything ? 1 : 0) : f[key]; }
          saes.forEach(function (s, i) { var o = document.createElement('option'); o.value = i; o.textContent = s.saeName + ' (' + s.bsp + ')'; chooser.appendChild(o); });
          function svg(w, h, inner) { return '<svg xmlns="http://www.w3.org/2000/svg" width="' + w + '" height="' + h + '" font-family="sans-serif" font-size="10">' + inner + '</svg>'; }
          var cell = 22, margin = 14;
          function corner(square) { return [margin + (square % 8) * cell, margin + Math.floor(square / 8) * cell]; }
          function labels() {
            var t = '';
            for (var i = 0; i < 8; i++) { t += '<text x="' + (margin + i * cell + cell / 2 - 3) + '" y="10">' + files[i] + '</text><text x="2" y="' + (margin + i * cell + cell / 2 + 4) + '">' + (i + 1) + '</text>'; }
            return t;
          }
          var glyphs = { K: '\u2654', Q: '\u2655', R: '\u2656', B: '\u2657', N: '\u2658', P: '\u2659', k: '\u265A', q: '\u265B', r: '\u265C', b: '\u265D', n: '\u265E', p: '\u265F' };
          function board(picture, game) {
            var t = labels(), side = margin + 8 * cell;
            for (var s = 0; s < 64; s++) {
              var c = corner(s), x = c[0], y = c[1], piece = picture.squares[s];
              var fill = game === 'othello' ? '#2e7d32' : ((s % 8 + Math.floor(s / 8)) % 2 === 0 ? '#b58863' : '#f0d9b5');
              t += '<rect x="' + x + '" y="' + y + '" width="' + cell + '" height="' + cell + '" fill="' + fill + '" stroke="#444" stroke-width="0.4"/>';
              if (game === 'othello' && piece !== '.') t += '<circle class="disc" cx="' + (x + cell / 2) + '" cy="' + (y + cell / 2) + '" r="' + (cell / 2 - 3) + '" fill="' + (piece === 'B' ? '#111' : '#f5f5f5') + '" stroke="#000" stroke-width="0.5"/>';
              if (game === 'chess' && piece !== '.') t += '<text class="piece" x="' + (x + cell / 2) + '" y="' + (y + cell - 5) + '" text-anchor="middle" font-size="17">' + glyphs[piece] + '</text>';
            }
            picture.marked.forEach(function (s) { var c = corner(s); t += '<circle class="legal" cx="' + (c[0] + cell / 2) + '" cy="' + (c[1] + cell / 2) + '" r="3" fill="#64b5f6" stroke="#0d47a1" stroke-width="0.5"/>'; });
            picture.moved.forEach(function (s) { var c = corner(s); t += '<rect class="moved" x="' + (c[0] + 1) + '" y="' + (c[1] + 1) + '" width="' + (cell - 2) + '" height="' + (cell - 2) + '" fill="none" stroke="#ff6f00" stroke-width="2"/>'; });
            return svg(side + 4, side + 4, t);
          }
          function colour(v, scale) {
            var a = scale > 0 ? Math.min(1, Math.abs(v) / scale) : 0, fade = Math.round(255 * (1 - a));
            return v >= 0 ? 'rgb(255,' + fade + ',' + fade + ')' : 'rgb(' + fade + ',' + fade + ',255)';
          }
          function heatmap(d) {
            var scale = 0; d.lift.forEach(function (v, s) { if (d.informative[s]) scale = Math.max(scale, Math.abs(v)); });
            var t = labels(), side = margin + 8 * cell;
            for (var s = 0; s < 64; s++) {
              var c = corner(s);
              t += '<rect x="' + c[0] + '" y="' + c[1] + '" width="' + cell + '" height="' + cell + '" fill="' + (d.informative[s] ? colour(d.lift[s], scale) : '#bbb') + '" stroke="#444" stroke-width="0.4"><title>' + name(s) + ': ' + (d.informative[s] ? d.lift[s].toFixed(3) : 'class never varies here') + '</title></rect>';
            }
            var x0 = side + 16, h = 8 * cell, steps = 20;
            t += '<g class="colour-scale">';
            for (var i = 0; i < steps; i++) { var v = scale - (2 * scale) * (i + 0.5) / steps; t += '<rect x="' + x0 + '" y="' + (margin + i * h / steps) + '" width="14" height="' + (h / steps + 0.5) + '" fill="' + colour(v, scale) + '"/>'; }
            t += '<text x="' + (x0 + 18) + '" y="' + (margin + 8) + '">+' + scale.toFixed(2) + '</text><text x="' + (x0 + 18) + '" y="' + (margin + h / 2 + 3) + '">0</text><text x="' + (x0 + 18) + '" y="' + (margin + h) + '">\u2212' + scale.toFixed(2) + '</text>';
            t += '<rect x="' + x0 + '" y="' + (margin + h + 8) + '" width="14" height="10" fill="#bbb"/><text x="' + (x0 + 18) + '" y="' + (margin + h + 17) + '">never varies</text></g>';
            return svg(side + 110, side + 30, t);
          }
          function histogram(d) {
            var w = 320, h = 120, n = d.histogram.length, top = Math.max.apply(null, d.histogram.concat([1])), t = '';
            d.histogram.forEach(function (c, i) { var bh = (h - 20) * c / top; t += '<rect class="bar" x="' + (30 + i * (w - 40) / n) + '" y="' + (h - 15 - bh) + '" width="' + ((w - 40) / n - 1) + '" height="' + bh + '" fill="#1f77b4"><title>' + c + '</title></rect>'; });
            t += '<text x="30" y="' + (h - 3) + '">0</text><text x="' + (w - 10) + '" y="' + (h - 3) + '" text-anchor="end">' + d.histogramMax.toFixed(2) + '</text><text x="2" y="10">' + top + '</text>';
            return svg(w, h, t);
          }
          function show(feature) {
            var s = saes[current], f = s.features.find(function (x) { return x.feature === feature; }), d = s.details.find(function (x) { return x.feature === feature; });
            chosen = feature;
            body.querySelectorAll('tr').forEach(function (tr) { tr.classList.toggle('chosen', +tr.dataset.feature === feature); });
            var t = '<h2>Feature ' + feature + '</h2><p>density ' + f3(f.density) + ', max activation ' + f3(f.maxActivation) + ', best element ' + (element(f) || 'none') +
              ' (threshold ' + f.threshold.toFixed(1) + ', precision ' + f3(f.precision) + ', recall ' + f3(f.recall) + ', F1 ' + f3(f.f1) + ')' + (f.labelsAnything ? '; labels board state' : '; labels nothing') + '.</p>';
            if (!d) { detail.innerHTML = t + '<p>No closer look was measured for this feature (only the ' + s.details.length + ' most board-specific and most precise are).</p>'; return; }
            t += '<h3>Lift of ' + s.bsp + ' class ' + d.channel + ' when it fires</h3><div class="heatmap">' + heatmap(d) + '</div>';
            t += '<h3>Top positions</h3><div class="boards">' + d.top.map(function (e) { return '<figure class="board">' + board(e.board, s.game) + '<figcaption>row ' + e.row + ', ' + e.activation.toFixed(3) + '</figcaption></figure>'; }).join('') + '</div>';
            t += '<p style="font-size:11px">Outlined: the squares the last move changed. Dotted: the legal moves.</p>';
            t += '<h3>Activation histogram (positions where it is on)</h3><div class="histogram">' + histogram(d) + '</div>';
            t += '<h3>Nearest decoder directions</h3><ul class="neighbours">' + d.neighbours.map(function (n) { return '<li><a href="#" data-feature="' + n.feature + '">feature ' + n.feature + '</a> cosine ' + f3(n.cosine) + '</li>'; }).join('') + '</ul>';
            detail.innerHTML = t;
            detail.querySelectorAll('.neighbours a').forEach(function (a) { a.addEventListener('click', function (e) { e.preventDefault(); show(+a.dataset.feature); }); });
          }
          function render() {
            var s = saes[current], detailed = {}, q = filter.value.trim().toLowerCase();
            s.details.forEach(function (d) { detailed[d.feature] = true; });
            var rows = s.features.filter(function (f) { return (!labelled.checked || f.labelsAnything) && (q === '' || String(f.feature) === q || element(f).indexOf(q) >= 0); });
            if (sortKey) rows = rows.slice().sort(function (a, b) { var x = value(a, sortKey), y = value(b, sortKey), o = typeof x === 'string' ? x.localeCompare(y) : x - y; return descending ? -o : o; });
            body.innerHTML = rows.slice(0, 2000).map(function (f) {
              return '<tr data-feature="' + f.feature + '"><td>' + (detailed[f.feature] ? '\u2605 ' : '') + f.feature + '</td><td>' + f3(f.maxLift) + '</td><td>' + f3(f.density) + '</td><td>' + f3(f.maxActivation) +
                '</td><td>' + element(f) + '</td><td>' + f.threshold.toFixed(1) + '</td><td>' + f3(f.precision) + '</td><td>' + f3(f.recall) + '</td><td>' + f3(f.f1) + '</td><td>' + (f.labelsAnything ? 'yes' : '') + '</td></tr>';
            }).join('');
            body.querySelectorAll('tr').forEach(function (tr) { tr.addEventListener('click', function () { show(+tr.dataset.feature); }); });
          }
          document.querySelectorAll('#feature-list th').forEach(function (th) {
            th.addEventListener('click', function () {
              descending = sortKey === th.dataset.key ? !descending : th.dataset.key !== 'feature' && th.dataset.key !== 'element';
              sortKey = th.dataset.key;
              document.querySelectorAll('#feature-list th').forEach(function (o) { o.removeAttribute('aria-sort'); });
              th.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
              render();
            });
          });
          function choose(i) { current = i; sortKey = null; render(); var first = saes[i].details[0] || saes[i].features[0]; if (first) show(first.feature); }
          chooser.addEventListener('change', function () { choose(+chooser.value); });
          filter.addEventListener('input', render);
          labelled.addEventListener('change', render);
          choose(0);
        })();
        """;
}
