// Usage (from the repository root):
//   dotnet run --project tools/FeatureNet -c Release -- train [--output PATH] [--epochs N] [--seed N] [--data DIR]
//   dotnet run --project tools/FeatureNet -c Release -- calibrate [--weights PATH] [--data DIR]
// See docs/quality.md for what the commands produced.
using Microsoft.ML.Diffusion.Tools;

return args.Length == 0 ? Usage() : args[0] switch
{
    "train" => TrainCommand.Run(Arguments.Parse(args[1..])),
    "calibrate" => CalibrateCommand.Run(Arguments.Parse(args[1..])),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: FeatureNet train [--output PATH] [--epochs N] [--seed N] [--data DIR]");
    Console.Error.WriteLine("       FeatureNet calibrate [--weights PATH] [--data DIR]");
    return 2;
}
