// AutoML's experiment shapes (Microsoft.ML.AutoML is not served), kept so that an adapter to it stays a small step.

using static Microsoft.ML.DataOperationsCatalog;

namespace Microsoft.ML.Diffusion.Experiments;

/// <summary>Fluent settings of an <see cref="AutoMLExperiment"/>.</summary>
public static class AutoMLExperimentExtension
{
    /// <summary>Trains on <paramref name="train"/> and evaluates on <paramref name="validation"/>; runner factories get them as an <see cref="ITrainValidateDatasetManager"/>.</summary>
    /// <param name="experiment">The experiment.</param>
    /// <param name="train">The training data.</param>
    /// <param name="validation">The validation data.</param>
    /// <param name="subSamplingTrainDataset">Not supported here; must be false.</param>
    public static AutoMLExperiment SetDataset(this AutoMLExperiment experiment, IDataView train, IDataView validation, bool subSamplingTrainDataset = false)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        if (subSamplingTrainDataset)
            throw new NotSupportedException("subSamplingTrainDataset is not supported by the diffusion experiments; pass a smaller training view instead.");
        experiment.DatasetManager = new TrainValidateDatasetManager(train, validation);
        return experiment;
    }

    /// <summary>Trains on the split's training set and evaluates on its test set.</summary>
    public static AutoMLExperiment SetDataset(this AutoMLExperiment experiment, TrainTestData trainValidationSplit)
        => experiment.SetDataset(trainValidationSplit.TrainSet, trainValidationSplit.TestSet);

    /// <summary>The seed tuner factories read (<see cref="AutoMLExperiment.AutoMLExperimentSettings.Seed"/>); not upstream, where it is only a setting.</summary>
    public static AutoMLExperiment SetSeed(this AutoMLExperiment experiment, int seed)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        experiment.Settings.Seed = seed;
        return experiment;
    }
}
