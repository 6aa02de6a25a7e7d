using System.Globalization;
using System.Text;
using System.Xml;

namespace Microsoft.ML.Diffusion;

/// <summary>
/// Draws a training loss history (e.g. <see cref="DiffusionSamplerTransformer.LossHistory"/>) as a small
/// self-contained SVG: the raw loss as a light line and its smoothed value as a dark one.
/// </summary>
/// <example>
/// <code>LossCurve.WriteSvg(model.LossHistory, "loss.svg");</code>
/// </example>
public static class LossCurve
{
    /// <summary>The smoothing factor the trainer's progress reports use.</summary>
    public const double DefaultSmoothing = 0.98;

    /// <summary>Writes the SVG of <paramref name="losses"/> to <paramref name="path"/>.</summary>
    /// <param name="losses">One loss per training step; at least one, all finite.</param>
    /// <param name="path">The .svg file to write (its folder must exist).</param>
    /// <param name="logScale">Plot the loss on a log₁₀ axis; every loss must then be positive.</param>
    /// <param name="width">The picture width in pixels.</param>
    /// <param name="height">The picture height in pixels.</param>
    /// <param name="title">A title above the plot, or null.</param>
    /// <param name="maxPoints">Longer histories are drawn as this many bucket means, to keep the file small.</param>
    /// <param name="smoothing">
    /// The factor of the smoothed line's bias-corrected exponential moving average, in [0, 1); null adapts it to the
    /// length of the history (see <see cref="SmoothingFor"/>).
    /// </param>
    /// <exception cref="ArgumentException">The history is empty or has a non-finite (or, with <paramref name="logScale"/>, non-positive) value.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size, <paramref name="maxPoints"/> or <paramref name="smoothing"/> is out of range.</exception>
    public static void WriteSvg(IReadOnlyList<float> losses, string path, bool logScale = true, int width = 800, int height = 400,
        string? title = null, int maxPoints = 2000, double? smoothing = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string svg = ToSvg(losses, logScale, width, height, title, maxPoints, smoothing);
        File.WriteAllText(path, svg, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }

    /// <summary>The SVG document of <paramref name="losses"/> as a string; see <see cref="WriteSvg"/> for the parameters.</summary>
    /// <param name="losses">One loss per training step; at least one, all finite.</param>
    /// <param name="logScale">Plot the loss on a log₁₀ axis; every loss must then be positive.</param>
    /// <param name="width">The picture width in pixels.</param>
    /// <param name="height">The picture height in pixels.</param>
    /// <param name="title">A title above the plot, or null.</param>
    /// <param name="maxPoints">Longer histories are drawn as this many bucket means.</param>
    /// <param name="smoothing">The smoothing factor in [0, 1), or null to adapt it to the history's length.</param>
    public static string ToSvg(IReadOnlyList<float> losses, bool logScale = true, int width = 800, int height = 400,
        string? title = null, int maxPoints = 2000, double? smoothing = null)
    {
        ArgumentNullException.ThrowIfNull(losses);
        if (width < 200) throw new ArgumentOutOfRangeException(nameof(width), width, "width must be at least 200 pixels.");
        if (height < 150) throw new ArgumentOutOfRangeException(nameof(height), height, "height must be at least 150 pixels.");
        if (maxPoints < 2) throw new ArgumentOutOfRangeException(nameof(maxPoints), maxPoints, "maxPoints must be at least 2.");
        if (losses.Count == 0) throw new ArgumentException("The loss history is empty; there is nothing to plot.", nameof(losses));
        for (int i = 0; i < losses.Count; i++)
        {
            if (!float.IsFinite(losses[i]))
                throw new ArgumentException($"The loss at step {i + 1} is {losses[i]}; a loss curve needs finite values.", nameof(losses));
            if (logScale && losses[i] <= 0)
                throw new ArgumentException($"The loss at step {i + 1} is {losses[i]}, which a log scale cannot show; pass logScale: false.", nameof(losses));
        }

        var smoothed = Smooth(losses, smoothing ?? SmoothingFor(losses.Count));
        var (steps, raw, smooth) = Buckets(losses, smoothed, maxPoints);
        var plot = new Plot(width, height, losses.Count, raw.Concat(smooth).ToList(), logScale);
        return Render(plot, steps, raw, smooth, title);
    }

    /// <summary>
    /// A smoothing factor for <paramref name="steps"/> losses: 1 − 1/w with an averaging window w of a tenth of the
    /// history, between 1 and 50 steps. <see cref="DefaultSmoothing"/> (w = 50) lags far behind a run of a few
    /// hundred steps, whose loss falls fastest at the start.
    /// </summary>
    /// <param name="steps">The length of the history.</param>
    public static double SmoothingFor(int steps) => 1 - 1 / Math.Clamp(steps / 10.0, 1, 1 / (1 - DefaultSmoothing));

    /// <summary>
    /// The bias-corrected exponential moving average s_t = m_t / (1 − factorᵗ) with m_t = factor·m_{t−1} + (1 − factor)·loss_t,
    /// which is what <see cref="DiffusionTrainingProgress.SmoothedLoss"/> reports.
    /// </summary>
    /// <param name="losses">The raw values.</param>
    /// <param name="factor">The smoothing factor in [0, 1); 0 returns the raw values.</param>
    public static float[] Smooth(IReadOnlyList<float> losses, double factor = DefaultSmoothing)
    {
        ArgumentNullException.ThrowIfNull(losses);
        if (!(factor >= 0 && factor < 1)) throw new ArgumentOutOfRangeException(nameof(factor), factor, "The smoothing factor must be in [0, 1).");
        var result = new float[losses.Count];
        double average = 0, weight = 1;
        for (int i = 0; i < losses.Count; i++)
        {
            average = factor * average + (1 - factor) * losses[i];
            weight *= factor;
            result[i] = (float)(average / (1 - weight));
        }
        return result;
    }

    // Bucket means of the raw line (so spikes still move it) and the smoothed value at each bucket's end.
    private static (double[] Steps, double[] Raw, double[] Smoothed) Buckets(IReadOnlyList<float> losses, float[] smoothed, int maxPoints)
    {
        int n = losses.Count, count = Math.Min(n, maxPoints);
        var steps = new double[count];
        var raw = new double[count];
        var smooth = new double[count];
        for (int b = 0; b < count; b++)
        {
            int start = (int)((long)b * n / count), end = (int)((long)(b + 1) * n / count);
            double sum = 0;
            for (int i = start; i < end; i++) sum += losses[i];
            raw[b] = sum / (end - start);
            smooth[b] = smoothed[end - 1];
            steps[b] = end;   // steps are 1-based: index end − 1 is step end
        }
        return (steps, raw, smooth);
    }

    private static string Render(Plot p, double[] steps, double[] raw, double[] smooth, string? title)
    {
        var text = new StringBuilder();
        // No XML declaration: a StringBuilder writer would declare UTF-16, but the file is written as UTF-8.
        var settings = new XmlWriterSettings { Indent = true, OmitXmlDeclaration = true };
        using (var w = XmlWriter.Create(text, settings))
        {
            const string ns = "http://www.w3.org/2000/svg";
            w.WriteStartElement("svg", ns);
            Attr(w, "width", p.Width);
            Attr(w, "height", p.Height);
            w.WriteAttributeString("viewBox", $"0 0 {p.Width} {p.Height}");
            w.WriteAttributeString("font-family", "sans-serif");
            w.WriteAttributeString("font-size", "12");

            Rect(w, 0, 0, p.Width, p.Height, "white", "none");
            if (title is not null) Text(w, p.Width / 2.0, 18, title, "middle", "14");

            w.WriteStartElement("g");
            w.WriteAttributeString("class", "axes");
            w.WriteAttributeString("stroke", "#ccc");
            for (int k = 0; k <= Plot.Ticks; k++)
            {
                double y = p.Top + k * p.PlotHeight / Plot.Ticks;
                Line(w, p.Left, y, p.Right, y);
                double x = p.Left + k * p.PlotWidth / Plot.Ticks;
                Line(w, x, p.Bottom, x, p.Bottom + 4);
            }
            w.WriteEndElement();
            Rect(w, p.Left, p.Top, p.PlotWidth, p.PlotHeight, "none", "#666");

            for (int k = 0; k <= Plot.Ticks; k++)
            {
                double y = p.Top + k * p.PlotHeight / Plot.Ticks;
                Text(w, p.Left - 6, y + 4, p.ValueAt(1 - k / (double)Plot.Ticks).ToString("G3", CultureInfo.InvariantCulture), "end");
                double x = p.Left + k * p.PlotWidth / Plot.Ticks;
                Text(w, x, p.Bottom + 18, Math.Round(p.StepAt(k / (double)Plot.Ticks)).ToString(CultureInfo.InvariantCulture), "middle");
            }
            Text(w, (p.Left + p.Right) / 2, p.Height - 6, "step", "middle");
            Text(w, 14, (p.Top + p.Bottom) / 2, p.LogScale ? "loss (log scale)" : "loss", "middle", rotate: true);

            Polyline(w, "raw", "#9ecae1", 1, p, steps, raw);
            Polyline(w, "smoothed", "#08519c", 2, p, steps, smooth);

            double legendX = p.Right - 150, legendY = p.Top + 14;
            Line(w, legendX, legendY - 4, legendX + 20, legendY - 4, "#9ecae1", 2);
            Text(w, legendX + 26, legendY, "loss", "start");
            Line(w, legendX, legendY + 12, legendX + 20, legendY + 12, "#08519c", 2);
            Text(w, legendX + 26, legendY + 16, "smoothed", "start");
            w.WriteEndElement();
        }
        return text.ToString();
    }

    private static void Polyline(XmlWriter w, string cssClass, string color, double strokeWidth, Plot p, double[] steps, double[] values)
    {
        var points = new StringBuilder();
        for (int i = 0; i < steps.Length; i++)
        {
            if (i > 0) points.Append(' ');
            points.Append(F(p.X(steps[i]))).Append(',').Append(F(p.Y(values[i])));
        }
        w.WriteStartElement("polyline");
        w.WriteAttributeString("class", cssClass);
        w.WriteAttributeString("fill", "none");
        w.WriteAttributeString("stroke", color);
        Attr(w, "stroke-width", strokeWidth);
        w.WriteAttributeString("stroke-linejoin", "round");
        w.WriteAttributeString("points", points.ToString());
        w.WriteEndElement();
    }

    private static void Rect(XmlWriter w, double x, double y, double width, double height, string fill, string stroke)
    {
        w.WriteStartElement("rect");
        Attr(w, "x", x);
        Attr(w, "y", y);
        Attr(w, "width", width);
        Attr(w, "height", height);
        w.WriteAttributeString("fill", fill);
        w.WriteAttributeString("stroke", stroke);
        w.WriteEndElement();
    }

    private static void Line(XmlWriter w, double x1, double y1, double x2, double y2, string? stroke = null, double strokeWidth = 1)
    {
        w.WriteStartElement("line");
        Attr(w, "x1", x1);
        Attr(w, "y1", y1);
        Attr(w, "x2", x2);
        Attr(w, "y2", y2);
        if (stroke is not null)
        {
            w.WriteAttributeString("stroke", stroke);
            Attr(w, "stroke-width", strokeWidth);
        }
        w.WriteEndElement();
    }

    private static void Text(XmlWriter w, double x, double y, string content, string anchor, string? size = null, bool rotate = false)
    {
        w.WriteStartElement("text");
        Attr(w, "x", x);
        Attr(w, "y", y);
        w.WriteAttributeString("text-anchor", anchor);
        if (size is not null) w.WriteAttributeString("font-size", size);
        if (rotate) w.WriteAttributeString("transform", $"rotate(-90 {F(x)} {F(y)})");
        w.WriteString(content);
        w.WriteEndElement();
    }

    private static void Attr(XmlWriter w, string name, double value) => w.WriteAttributeString(name, F(value));

    private static string F(double v) => Math.Round(v, 1).ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>Maps steps and losses to picture coordinates.</summary>
    private sealed class Plot
    {
        public const int Ticks = 5;

        private readonly double _low, _high;
        private readonly int _steps;

        public Plot(int width, int height, int steps, List<double> values, bool logScale)
        {
            Width = width;
            Height = height;
            LogScale = logScale;
            _steps = steps;
            var scaled = values.Select(Scale).ToList();
            _low = scaled.Min();
            _high = scaled.Max();
            if (_high - _low < 1e-9)
            {
                // A flat history still gets a visible band around its value.
                double pad = logScale ? 0.1 : Math.Max(Math.Abs(_low) * 0.05, 1e-3);
                _low -= pad;
                _high += pad;
            }
        }

        public int Width { get; }
        public int Height { get; }
        public bool LogScale { get; }
        public double Left => 70;
        public double Right => Width - 20;
        public double Top => 30;
        public double Bottom => Height - 45;
        public double PlotWidth => Right - Left;
        public double PlotHeight => Bottom - Top;

        public double X(double step) => Left + (_steps == 1 ? 0.5 : (step - 1) / (_steps - 1)) * PlotWidth;

        public double Y(double value) => Bottom - (Scale(value) - _low) / (_high - _low) * PlotHeight;

        /// <summary>The loss at fraction <paramref name="f"/> of the height (0 = bottom).</summary>
        public double ValueAt(double f)
        {
            double s = _low + f * (_high - _low);
            return LogScale ? Math.Pow(10, s) : s;
        }

        /// <summary>The step at fraction <paramref name="f"/> of the width.</summary>
        public double StepAt(double f) => 1 + f * Math.Max(0, _steps - 1);

        private double Scale(double v) => LogScale ? Math.Log10(v) : v;
    }
}
