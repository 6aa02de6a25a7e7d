// Usage (from the repository root):
//   dotnet run --project tools/QualitySweep -c Release -- run --configs default,no-dropout,... [--minutes 10] [--fd-samples 1000] [--results out/quality-sweep.jsonl] [--hold-lock FILE]
//   dotnet run --project tools/QualitySweep -c Release -- table [--results out/quality-sweep.jsonl] [--hold-lock FILE]
// Configurations are named in SweepConfigurations.cs; "a+b" combines two. See docs/quality.md.
using Microsoft.ML.Diffusion.Tools;

try
{
    return args.Length == 0 ? Usage() : args[0] switch
    {
        "run" => SweepCommand.Run(Arguments.Parse(args[1..])),
        "table" => TableCommand.Run(Arguments.Parse(args[1..])),
        _ => Usage(),
    };
}
catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}

static int Usage()
{
    Console.Error.WriteLine("usage: QualitySweep run --configs NAME[,NAME...] [--minutes 10] [--fd-samples 1000] [--seed 1] [--results PATH] [--data DIR] [--hold-lock FILE]");
    Console.Error.WriteLine("       QualitySweep table [--results PATH]");
    Console.Error.WriteLine($"configurations: {string.Join(", ", SweepConfigurations.All.Keys)} (combine with '+')");
    return 2;
}
