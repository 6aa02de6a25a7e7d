// AutoML's experiment shapes (Microsoft.ML.AutoML is not served), kept so that an adapter to it stays a small step.

namespace Microsoft.ML.Diffusion.Experiments;

/// <summary>Marker of the experiment's data, which trial runners get from the service provider of their factory.</summary>
public interface IDatasetManager
{
}

/// <summary>Training and validation data set with SetDataset(train, validation).</summary>
public interface ITrainValidateDatasetManager : IDatasetManager
{
    /// <summary>The training data of a trial.</summary>
    IDataView LoadTrainDataset(MLContext context, TrialSettings? settings);

    /// <summary>The validation data of a trial.</summary>
    IDataView LoadValidateDataset(MLContext context, TrialSettings? settings);
}

internal sealed class TrainValidateDatasetManager(IDataView train, IDataView validation) : ITrainValidateDatasetManager
{
    public IDataView LoadTrainDataset(MLContext context, TrialSettings? settings) => train;

    public IDataView LoadValidateDataset(MLContext context, TrialSettings? settings) => validation;
}
