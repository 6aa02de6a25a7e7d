using System.Globalization;
using System.Text;
using System.Xml;

namespace GradientEstimatorsDemo;

/// <summary>A log-log line plot with one line per series, written as a self-contained SVG (after LossCurve's layout).</summary>
internal static class LogLogPlot
{
    private const double Left = 80, Top = 36, RightMargin = 200, BottomMargin = 50;
    private static readonly string[] Colors = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"];

    public static void WriteSvg(string path, string title, string xLabel, string yLabel,
        IReadOnlyList<(string Name, IReadOnlyList<(double X, double Y)> Points)> series, int width = 900, int height = 500)
    {
        var all = series.SelectMany(s => s.Points).Where(p => p.X > 0 && p.Y > 0).ToList();
        if (all.Count == 0) throw new ArgumentException("Nothing positive to plot on log axes.", nameof(series));
        // Whole decades on both axes, so the ticks are powers of ten.
        double x0 = Math.Floor(all.Min(p => Math.Log10(p.X))), x1 = Math.Max(x0 + 1, Math.Ceiling(all.Max(p => Math.Log10(p.X))));
        double y0 = Math.Floor(all.Min(p => Math.Log10(p.Y))), y1 = Math.Max(y0 + 1, Math.Ceiling(all.Max(p => Math.Log10(p.Y))));
        double right = width - RightMargin, bottom = height - BottomMargin;
        double X(double x) => Left + (Math.Log10(x) - x0) / (x1 - x0) * (right - Left);
        double Y(double y) => bottom - (Math.Log10(y) - y0) / (y1 - y0) * (bottom - Top);

        var text = new StringBuilder();
        using (var w = XmlWriter.Create(text, new XmlWriterSettings { Indent = true, OmitXmlDeclaration = true }))
        {
            w.WriteStartElement("svg", "http://www.w3.org/2000/svg");
            w.WriteAttributeString("width", F(width));
            w.WriteAttributeString("height", F(height));
            w.WriteAttributeString("viewBox", $"0 0 {width} {height}");
            w.WriteAttributeString("font-family", "sans-serif");
            w.WriteAttributeString("font-size", "12");
            Element(w, "rect", ("x", "0"), ("y", "0"), ("width", F(width)), ("height", F(height)), ("fill", "white"));
            Text(w, width / 2.0, 20, title, "middle", "14");
            for (double d = x0; d <= x1; d++)
            {
                Element(w, "line", ("x1", F(X(Math.Pow(10, d)))), ("y1", F(Top)), ("x2", F(X(Math.Pow(10, d)))), ("y2", F(bottom)), ("stroke", "#ddd"));
                Text(w, X(Math.Pow(10, d)), bottom + 18, Decade(d), "middle");
            }
            for (double d = y0; d <= y1; d++)
            {
                Element(w, "line", ("x1", F(Left)), ("y1", F(Y(Math.Pow(10, d)))), ("x2", F(right)), ("y2", F(Y(Math.Pow(10, d)))), ("stroke", "#ddd"));
                Text(w, Left - 6, Y(Math.Pow(10, d)) + 4, Decade(d), "end");
            }
            Element(w, "rect", ("x", F(Left)), ("y", F(Top)), ("width", F(right - Left)), ("height", F(bottom - Top)), ("fill", "none"), ("stroke", "#666"));
            Text(w, (Left + right) / 2, height - 10, xLabel, "middle");
            Text(w, 16, (Top + bottom) / 2, yLabel, "middle", rotate: true);
            for (int i = 0; i < series.Count; i++)
            {
                string color = Colors[i % Colors.Length];
                var points = series[i].Points.Where(p => p.X > 0 && p.Y > 0)
                    .Select(p => $"{F(X(p.X))},{F(Y(p.Y))}");
                Element(w, "polyline", ("fill", "none"), ("stroke", color), ("stroke-width", "2"), ("points", string.Join(' ', points)));
                double legendY = Top + 14 + 18 * i;
                Element(w, "line", ("x1", F(right + 12)), ("y1", F(legendY - 4)), ("x2", F(right + 32)), ("y2", F(legendY - 4)), ("stroke", color), ("stroke-width", "2"));
                Text(w, right + 38, legendY, series[i].Name, "start");
            }
            w.WriteEndElement();
        }
        File.WriteAllText(path, text.ToString(), new UTF8Encoding(false));
    }

    private static string Decade(double d) => d switch { 0 => "1", 1 => "10", _ => $"1e{d:0}" };

    private static void Element(XmlWriter w, string name, params (string Name, string Value)[] attributes)
    {
        w.WriteStartElement(name);
        foreach (var (n, v) in attributes) w.WriteAttributeString(n, v);
        w.WriteEndElement();
    }

    private static void Text(XmlWriter w, double x, double y, string content, string anchor, string? size = null, bool rotate = false)
    {
        w.WriteStartElement("text");
        w.WriteAttributeString("x", F(x));
        w.WriteAttributeString("y", F(y));
        w.WriteAttributeString("text-anchor", anchor);
        if (size is not null) w.WriteAttributeString("font-size", size);
        if (rotate) w.WriteAttributeString("transform", $"rotate(-90 {F(x)} {F(y)})");
        w.WriteString(content);
        w.WriteEndElement();
    }

    private static string F(double v) => Math.Round(v, 1).ToString("0.#", CultureInfo.InvariantCulture);
}
