// Gradient estimators on the examples of the reparameterisation documents (seeds 002, 003): for each estimator, the exact
// gradient, and the mean and variance of M independent N-draw estimates; then a log-log plot of variance against samples.
//   dotnet run --project samples/GradientEstimators -c Release [-- output.svg]
using System.Globalization;
using GradientEstimatorsDemo;
using Microsoft.ML.Diffusion.Reparameterization;
using TorchSharp;
using static TorchSharp.torch;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
string svgPath = args.Length > 0 ? args[0] : "gradient-variance.svg";
const int Estimates = 2000, Draws = 10;
using var generator = new Generator(2024);
using var scope = NewDisposeScope();

static Tensor P(double value) => tensor(value, ScalarType.Float64).requires_grad_(true);
static Tensor V(double[] values, params long[] shape) => tensor(values, shape.Length == 0 ? [values.Length] : shape, ScalarType.Float64).requires_grad_(true);

void Header(string title)
{
    Console.WriteLine();
    Console.WriteLine(title);
    Console.WriteLine($"  {"estimator",-42} {"parameter",-10} {"exact",10} {"mean",10} {"± SE",8} {"variance",10} {"predicted",10}");
}

void Row(GradientStatistics s, int parameter, int element, string label, double exact, double? predictedVariance = null) =>
    Console.WriteLine($"  {s.Name,-42} {label,-10} {exact,10:F4} {s.Mean[parameter][element],10:F4} {s.MeanStandardError[parameter][element],8:F4} " +
                      $"{s.Variance[parameter][element],10:F4} {(predictedVariance is { } v ? v.ToString("F4") : "—"),10}");

Console.WriteLine($"Each estimate averages N = {Draws} draws; mean, SE and variance are over M = {Estimates} independent estimates.");

// 1. Location–scale families: z = a + bε, J = E[z²] = a² + 2abm + b²(v + m²), ∂J/∂a = 2(a + bm), ∂J/∂b = 2am + 2b(v + m²),
//    with m, v the standard noise's mean and variance. The Cauchy has no variance: there f(z) = 1/(1 + z²), J = c/(c² + a²), c = 1 + b.
Header("Location–scale families, z = a + b·ε, J = E[z²] (Cauchy: E[1/(1 + z²)]), a = 0.7, b = 1.3");
{
    double a = 0.7, b = 1.3, gamma = 0.5772156649015329;
    (LocationScaleFamily Family, double M, double V)[] families =
    [
        (LocationScaleFamily.Normal, 0, 1), (LocationScaleFamily.Laplace, 0, 2), (LocationScaleFamily.Logistic, 0, Math.PI * Math.PI / 3),
        (LocationScaleFamily.StudentT(10), 0, 10.0 / 8), (LocationScaleFamily.Gumbel, gamma, Math.PI * Math.PI / 6),
        (LocationScaleFamily.Uniform, 0, 1.0 / 3), (LocationScaleFamily.Exponential, 1, 1),
    ];
    foreach (var (family, m, v) in families)
    {
        var s = GradientStatistics.Of(new LocationScaleEstimator(family, P(a), P(b)), z => z.pow(2), Draws, Estimates, generator);
        Row(s, 0, 0, "∂/∂a", 2 * (a + b * m));
        Row(s, 1, 0, "∂/∂b", 2 * a * m + 2 * b * (v + m * m));
    }
    double c = 1 + b, d = c * c + a * a;
    var cauchy = GradientStatistics.Of(new LocationScaleEstimator(LocationScaleFamily.Cauchy, P(a), P(b)), z => 1 / (1 + z.pow(2)), Draws, Estimates, generator);
    Row(cauchy, 0, 0, "∂/∂a", -2 * a * c / (d * d));
    Row(cauchy, 1, 0, "∂/∂b", (a * a - c * c) / (d * d));
}

// 2. Multivariate Gaussian, J = E‖z‖² = ‖μ‖² + tr Σ: ∇_μ J = 2μ; Cholesky Σ = LLᵀ: ∇_L J = 2L; low rank Σ = D + UUᵀ: ∇_d J = 1, ∇_U J = 2U.
Header("Multivariate Gaussian, J = E‖z‖² (first elements shown)");
{
    double[] mu = [0.5, -1.0, 2.0], l = [1.2, 0, 0, 0.5, 0.8, 0, -0.3, 0.4, 0.6];
    var chol = GradientStatistics.Of(new CholeskyGaussianEstimator(V(mu), V(l, 3, 3)), z => z.pow(2).sum(1), Draws, Estimates, generator);
    for (int j = 0; j < 3; j++) Row(chol, 0, j, $"∂/∂μ{j}", 2 * mu[j]);
    foreach (int j in new[] { 0, 3, 4 }) Row(chol, 1, j, $"∂/∂L{j / 3}{j % 3}", 2 * l[j]);
    double[] diagonal = [0.5, 1.0, 0.2], u = [1.0, 0.0, 0.5, -0.7, -0.3, 0.4];
    var lowRank = GradientStatistics.Of(new LowRankGaussianEstimator(V(mu), V(diagonal), V(u, 3, 2)), z => z.pow(2).sum(1), Draws, Estimates, generator);
    Row(lowRank, 0, 0, "∂/∂μ0", 2 * mu[0]);
    for (int j = 0; j < 3; j++) Row(lowRank, 1, j, $"∂/∂d{j}", 1);
    foreach (int j in new[] { 0, 3 }) Row(lowRank, 2, j, $"∂/∂U{j / 2}{j % 2}", 2 * u[j]);
}

// 3. Variance reduction, z = μ + σε. J = E[z²]: pathwise Var = 4σ², score function μ⁴/σ² + 14μ² + 15σ², with baseline
//    b = μ² + σ²: 8μ² + 10σ² (per draw; an N-draw estimate has 1/N of it). J = E[z³]: plain pathwise 36μ²σ² + 18σ⁴, one
//    antithetic pair 18σ⁴, a ratio of σ²/(2μ² + σ²).
double muR = 1.0, sigmaR = 0.5;
Header($"Variance reduction, z = μ + σε, μ = {muR}, σ = {sigmaR}: ∂/∂μ of E[z²] and E[z³]");
{
    double mu = muR, s2 = sigmaR * sigmaR;
    GradientStatistics Run(GradientEstimator e, Func<Tensor, Tensor> f) => GradientStatistics.Of(e, f, Draws, Estimates, generator);
    Func<Tensor, Tensor> square = z => z.pow(2), cube = z => z.pow(3);
    Row(Run(LocationScaleEstimator.Gaussian(P(mu), P(sigmaR)), square), 0, 0, "E[z²]", 2 * mu, 4 * s2 / Draws);
    Row(Run(ScoreFunctionEstimator.Gaussian(P(mu), P(sigmaR)), square), 0, 0, "E[z²]", 2 * mu, (Math.Pow(mu, 4) / s2 + 14 * mu * mu + 15 * s2) / Draws);
    Row(Run(ScoreFunctionEstimator.Gaussian(P(mu), P(sigmaR), baseline: mu * mu + s2), square), 0, 0, "E[z²]", 2 * mu, (8 * mu * mu + 10 * s2) / Draws);
    Row(Run(LocationScaleEstimator.Gaussian(P(mu), P(sigmaR)), cube), 0, 0, "E[z³]", 3 * (mu * mu + s2), (36 * mu * mu * s2 + 18 * s2 * s2) / Draws);
    Row(Run(new AntitheticEstimator(LocationScaleEstimator.Gaussian(P(mu), P(sigmaR))), cube), 0, 0, "E[z³]", 3 * (mu * mu + s2), 18 * s2 * s2 / Draws);
    Console.WriteLine($"  one antithetic pair / one plain draw: σ²/(2μ² + σ²) = {s2 / (2 * mu * mu + s2):F4}; per evaluation of f: {2 * s2 / (2 * mu * mu + s2):F4}");
}

// 4. Discrete variables: k ∼ Categorical(softmax ℓ), f = w_k (or wᵀy for a relaxed y). Exact: ∂J/∂ℓ_k = π_k(w_k − πᵀw). The score
//    function is unbiased; Gumbel-softmax and straight-through are biased (the bias falls as τ → 0 while the variance grows).
double[] logits = [0.5, -0.3, 1.2, 0.0], w = [1.0, -2.0, 3.0, 0.5];
var pi = softmax(tensor(logits, ScalarType.Float64), 0).data<double>().ToArray();
double piW = pi.Zip(w, (p, x) => p * x).Sum();
var weights = tensor(w, ScalarType.Float64);
Header($"Discrete: k ∼ Categorical(softmax ℓ), ℓ = [{string.Join(", ", logits)}], f = w_k, w = [{string.Join(", ", w)}]");
{
    GradientEstimator[] estimators =
    [
        ScoreFunctionEstimator.Categorical(V(logits)),
        ScoreFunctionEstimator.Categorical(V(logits), baseline: piW),
        new GumbelSoftmaxEstimator(V(logits), 1.0), new GumbelSoftmaxEstimator(V(logits), 0.5), new GumbelSoftmaxEstimator(V(logits), 0.1),
        new GumbelSoftmaxEstimator(V(logits), 0.5, straightThrough: true),
    ];
    foreach (var e in estimators)
    {
        Func<Tensor, Tensor> f = e is ScoreFunctionEstimator ? k => weights.index_select(0, k) : y => y.mv(weights);
        var s = GradientStatistics.Of(e, f, Draws, Estimates, generator);
        for (int k = 0; k < logits.Length; k++) Row(s, 0, k, $"∂/∂ℓ{k}", pi[k] * (w[k] - piW));
    }
}

// 5. Variance against samples: ∂/∂μ E[z³] for N = 1 … 1024, against the evaluations of f each estimate costs.
{
    double mu = muR, sigma = sigmaR;
    var lines = new List<(string, IReadOnlyList<(double, double)>)>();
    GradientEstimator[] estimators =
    [
        LocationScaleEstimator.Gaussian(P(mu), P(sigma)),
        new AntitheticEstimator(LocationScaleEstimator.Gaussian(P(mu), P(sigma))),
        ScoreFunctionEstimator.Gaussian(P(mu), P(sigma)),
        ScoreFunctionEstimator.Gaussian(P(mu), P(sigma), baseline: Math.Pow(mu, 3) + 3 * mu * sigma * sigma),
    ];
    Console.WriteLine();
    Console.WriteLine($"Variance of ∂/∂μ E[z³] against evaluations of f per estimate (M = 500 estimates each):");
    foreach (var e in estimators)
    {
        var points = new List<(double, double)>();
        for (int n = 1; n <= 1024; n *= 4)
        {
            var s = GradientStatistics.Of(e, z => z.pow(3), n, 500, generator);
            points.Add((s.EvaluationsPerEstimate, s.Variance[0][0]));
        }
        lines.Add((e.Name, points));
        Console.WriteLine($"  {e.Name,-42} " + string.Join("  ", points.Select(p => $"{p.Item1,5:F0}: {p.Item2:G3}")));
    }
    LogLogPlot.WriteSvg(svgPath, "Variance of ∂/∂μ E[z³], z = μ + σε (μ = 1, σ = 0.5)", "evaluations of f per estimate",
        "variance of the estimate", lines);
    Console.WriteLine($"Wrote {Path.GetFullPath(svgPath)}");
}
