// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

namespace Microsoft.ML.AutoML;

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
