using System.IO.Compression;
using System.Reflection;
using System.Xml.Linq;

namespace Microsoft.ML.Diffusion.Tests;

/// <summary>
/// The package as users get it: packs the built package, checks what the .nupkg holds, then builds
/// test/PackageConsumer (copied outside the repository, so none of its MSBuild files apply) against a folder feed
/// holding only that .nupkg, trains and saves there, and loads and generates in a second process.
/// </summary>
[TestClass]
public sealed class PackageConsumerTests
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(6);

    [TestMethod]
    public void PackedPackageTrainsSavesAndLoadsInAFreshConsumer()
    {
        var props = XDocument.Load(RepositoryFiles.Get("Directory.Build.props"));
        string Prop(string name) => props.Descendants(name).First().Value;
        string version = Prop("VersionPrefix");
        // A version no cache can hold yet, so the consumer restores this very .nupkg.
        string packageVersion = $"{version}-consumercheck.{DateTime.UtcNow:yyyyMMddHHmmss}";

        using var work = new TempFolder();
        string feed = Directory.CreateDirectory(work.File("feed")).FullName;
        Pack(feed, packageVersion);

        string nupkg = Path.Combine(feed, $"Microsoft.ML.Diffusion.{packageVersion}.nupkg");
        Assert.IsTrue(File.Exists(Path.ChangeExtension(nupkg, ".snupkg")), "no symbols package beside the .nupkg");
        // The versions this build was made with (-p:MlNetVersion=5.0.1 builds against 5.0.1), read from the loaded assemblies.
        CheckPackageContents(nupkg, packageVersion, ProductVersion(typeof(MLContext).Assembly), ProductVersion(typeof(TorchSharp.torch).Assembly));

        string consumer = work.File("consumer");
        CopyConsumer(consumer);
        WriteNuGetConfig(consumer, feed, work.File("packages"));
        ChildProcess.Run(ChildProcess.Dotnet, ["build", "-c", "Release", "-nologo", "--disable-build-servers",
            $"-p:DiffusionPackageVersion={packageVersion}", $"-p:TorchSharpVersion={Prop("TorchSharpVersion")}"], BuildTimeout, consumer, CleanBuildEnvironment);
        string program = Path.Combine(consumer, "bin", "Release", "net10.0", "PackageConsumer.dll");
        Assert.IsTrue(File.Exists(Path.Combine(Path.GetDirectoryName(program)!, "Microsoft.ML.Diffusion.dll")), "the package's assembly is not in the consumer's output");

        string run = Directory.CreateDirectory(work.File("run")).FullName;
        var trained = ChildProcess.Run(ChildProcess.Dotnet, [program, "train", run], TimeSpan.FromMinutes(3));
        var generated = ChildProcess.Run(ChildProcess.Dotnet, [program, "generate", run], TimeSpan.FromMinutes(3));

        var trainImages = trained.Where(l => l.StartsWith("image ", StringComparison.Ordinal)).ToList();
        Assert.HasCount(4, trainImages, string.Join("\n", trained));
        foreach (var line in trainImages)
            StringAssert.Matches(line, new System.Text.RegularExpressions.Regex(@"^image 10[0-3] 28x28 Bgra32 [0-9A-F]{64}$"));
        Assert.HasCount(4, trainImages.Distinct(), "different seeds gave the same image");
        // The second process loads the zip with no diffusion type touched and regenerates the same images bit for bit.
        CollectionAssert.Contains(generated, "package loaded before Model.Load: False", string.Join("\n", generated));
        CollectionAssert.Contains(generated, "generator Microsoft.ML.Diffusion.DiffusionSamplerTransformer");
        CollectionAssert.AreEqual(trainImages, generated.Where(l => l.StartsWith("image ", StringComparison.Ordinal)).ToList());
        // The bundled feature network (an embedded resource) scored the samples.
        double fd = double.Parse(trained.Single(l => l.StartsWith("frechet ", StringComparison.Ordinal))["frechet ".Length..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.IsTrue(double.IsFinite(fd) && fd > 0, $"Fréchet distance {fd}");

        using (var zip = ZipFile.OpenRead(Path.Combine(run, "model.zip")))
        using (var reader = new StreamReader(zip.Entries.Single(e => e.Name == "PackageVersion.txt").Open()))
            Assert.AreEqual($"Microsoft.ML.Diffusion {version}", reader.ReadToEnd());
        // TorchSharp copies its unpatched natives to cpu/ when the normal load fails (Debian 12 without the buildTransitive fix).
        Assert.IsFalse(Directory.Exists(Path.Combine(Path.GetDirectoryName(program)!, "cpu")), "TorchSharp fell back to its cpu/ copy in the consumer");
    }

    private static string ProductVersion(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];

    private static void Pack(string feed, string packageVersion)
    {
        string configuration = typeof(PackageConsumerTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        ChildProcess.Run(ChildProcess.Dotnet, ["pack", RepositoryFiles.Get("src", "Microsoft.ML.Diffusion", "Microsoft.ML.Diffusion.csproj"),
            "-c", configuration, "--no-build", "-nologo", "-o", feed, $"-p:PackageVersion={packageVersion}"], BuildTimeout, RepositoryFiles.Root, CleanBuildEnvironment);
    }

    private static void CheckPackageContents(string nupkg, string packageVersion, string mlNetVersion, string torchSharpVersion)
    {
        using var package = ZipFile.OpenRead(nupkg);
        var files = package.Entries.Select(e => e.FullName).ToHashSet();
        foreach (var required in new[]
        {
            "lib/net10.0/Microsoft.ML.Diffusion.dll", "lib/net10.0/Microsoft.ML.Diffusion.xml",
            "buildTransitive/Microsoft.ML.Diffusion.targets", "README.md", "LICENSE",
        })
            Assert.Contains(required, files, $"the package lacks {required}; it has: {string.Join(", ", files.Order())}");

        XNamespace ns = "http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd";
        XDocument nuspec;
        using (var s = package.GetEntry("Microsoft.ML.Diffusion.nuspec")!.Open()) nuspec = XDocument.Load(s);
        var metadata = nuspec.Root!.Element(ns + "metadata")!;
        Assert.AreEqual(packageVersion, metadata.Element(ns + "version")!.Value);
        Assert.AreEqual("MIT", metadata.Element(ns + "license")!.Value);
        Assert.AreEqual("README.md", metadata.Element(ns + "readme")!.Value);
        Assert.IsNotNull(metadata.Element(ns + "repository")?.Attribute("commit"), "no repository commit in the nuspec");
        var dependencies = metadata.Descendants(ns + "dependency").ToDictionary(d => d.Attribute("id")!.Value, d => d.Attribute("version")!.Value);
        // The application picks the libtorch backend, so TorchSharp is the managed binding only.
        CollectionAssert.AreEquivalent(new[] { "Microsoft.ML", "Microsoft.ML.ImageAnalytics", "TorchSharp" }, dependencies.Keys.ToArray());
        Assert.AreEqual(mlNetVersion, dependencies["Microsoft.ML"]);
        Assert.AreEqual(mlNetVersion, dependencies["Microsoft.ML.ImageAnalytics"]);
        Assert.AreEqual(torchSharpVersion, dependencies["TorchSharp"]);
    }

    private static void CopyConsumer(string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var file in Directory.GetFiles(RepositoryFiles.Get("test", "PackageConsumer")))
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
    }

    // The repository's package sources plus the folder feed. The consumer extracts packages into its own folder, and finds
    // the others (ML.NET, TorchSharp-cpu's libtorch) in the shared cache as a fallback folder instead of copying them.
    private static void WriteNuGetConfig(string consumer, string feed, string packages)
    {
        var sources = XDocument.Load(RepositoryFiles.Get("nuget.config")).Descendants("packageSources").Elements("add");
        string shared = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        new XDocument(new XElement("configuration",
            new XElement("packageSources", new XElement("clear"),
                new XElement("add", new XAttribute("key", "package-under-test"), new XAttribute("value", feed)),
                sources),
            new XElement("config", new XElement("add", new XAttribute("key", "globalPackagesFolder"), new XAttribute("value", packages))),
            new XElement("fallbackPackageFolders", new XElement("add", new XAttribute("key", "shared"), new XAttribute("value", shared)))))
            .Save(Path.Combine(consumer, "nuget.config"));
    }

    // dotnet test runs the tests with MSBuild's variables of its own build set; a nested build must not inherit them.
    private static void CleanBuildEnvironment(IDictionary<string, string?> environment)
    {
        foreach (var key in environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
            environment.Remove(key);
        environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        environment["DOTNET_NOLOGO"] = "1";
    }
}
