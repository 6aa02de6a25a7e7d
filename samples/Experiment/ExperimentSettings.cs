namespace ExperimentSample;

/// <summary>The sample's command line.</summary>
internal sealed record ExperimentSettings(TimeSpan Budget, int Rungs, int ValidationImages, int? Limit, int Seed, string Output, bool CompareDefault,
    TimeSpan TrialOverhead, string? DataFolder);
