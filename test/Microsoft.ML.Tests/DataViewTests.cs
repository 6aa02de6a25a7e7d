using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace Microsoft.ML.Tests;

[TestClass]
public sealed class DataViewTests
{
    public sealed class Row
    {
        public float Value { get; set; }

        [ColumnName("Text")]
        public string Name { get; set; } = "";

        [VectorType(2, 3)]
        public float[] Features { get; set; } = Array.Empty<float>();

        [NoColumn]
        public int Ignored { get; set; }
    }

    private static Row[] MakeRows(int n) => Enumerable.Range(0, n).Select(i => new Row
    {
        Value = i,
        Name = "row" + i,
        Features = Enumerable.Range(0, 6).Select(j => (float)(i * 10 + j)).ToArray(),
        Ignored = 99,
    }).ToArray();

    [TestMethod]
    public void SchemaComesFromPocoAttributes()
    {
        var data = new MLContext(1).Data.LoadFromEnumerable(MakeRows(3));
        Assert.AreEqual(3, data.Schema.Count);
        Assert.AreEqual(NumberDataViewType.Single, data.Schema["Value"].Type);
        Assert.AreEqual(TextDataViewType.Instance, data.Schema["Text"].Type);
        var vector = (VectorDataViewType)data.Schema["Features"].Type;
        CollectionAssert.AreEqual(new[] { 2, 3 }, vector.Dimensions.ToArray());
        Assert.AreEqual("Vector<Single, 2, 3>", vector.ToString());
        Assert.IsNull(data.Schema.GetColumnOrNull("Ignored"));
        Assert.AreEqual("Text", data.Schema[1].Name);
        Assert.AreEqual(1, data.Schema["Text"].Index);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => data.Schema["Missing"]);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => data.Schema[7]);
        Assert.ThrowsExactly<ArgumentNullException>(() => data.Schema[""]);
        Assert.AreEqual(3L, data.GetRowCount());
    }

    [TestMethod]
    public void CursorFollowsTheContract()
    {
        var data = new MLContext(1).Data.LoadFromEnumerable(MakeRows(3));
        var value = data.Schema["Value"];
        var text = data.Schema["Text"];
        using var cursor = data.GetRowCursor(new[] { value });
        Assert.AreEqual(-1L, cursor.Position);
        Assert.IsTrue(cursor.IsColumnActive(value));
        Assert.IsFalse(cursor.IsColumnActive(text));
        Assert.ThrowsExactly<InvalidOperationException>(() => cursor.GetGetter<ReadOnlyMemory<char>>(text));
        Assert.ThrowsExactly<InvalidOperationException>(() => cursor.GetGetter<double>(value));
        var getter = cursor.GetGetter<float>(value);
        float v = 0;
        Assert.ThrowsExactly<InvalidOperationException>(() => getter(ref v));
        var seen = new List<float>();
        while (cursor.MoveNext())
        {
            Assert.AreEqual(seen.Count, (int)cursor.Position);
            getter(ref v);
            seen.Add(v);
        }
        CollectionAssert.AreEqual(new[] { 0f, 1f, 2f }, seen);
        Assert.AreEqual(-1L, cursor.Position);
        Assert.IsFalse(cursor.MoveNext());
        Assert.AreEqual(-1L, cursor.Position);
    }

    [TestMethod]
    public void ShuffledCursorVisitsEveryRowOnce()
    {
        var data = new MLContext(1).Data.LoadFromEnumerable(MakeRows(50).ToList());
        Assert.IsTrue(data.CanShuffle);
        var column = data.Schema["Value"];
        using var cursor = data.GetRowCursor(new[] { column }, new Random(5));
        var getter = cursor.GetGetter<float>(column);
        var order = new List<float>();
        float v = 0;
        while (cursor.MoveNext())
        {
            getter(ref v);
            order.Add(v);
        }
        CollectionAssert.AreEquivalent(Enumerable.Range(0, 50).Select(i => (float)i).ToArray(), order);
        CollectionAssert.AreNotEqual(Enumerable.Range(0, 50).Select(i => (float)i).ToArray(), order);
        Assert.AreEqual(1, data.GetRowCursorSet(new[] { column }, 4).Length);
    }

    [TestMethod]
    public void PocoRoundTripKeepsVectorsAndImages()
    {
        var ml = new MLContext(1);
        var rows = Enumerable.Range(0, 3).Select(i => new ImageRow { Id = i, Pixels = new[] { i, i + 0.5f, -i }, Picture = Images.Pattern(4, 3) }).ToArray();
        var data = ml.Data.LoadFromEnumerable(rows);
        Assert.AreEqual(new ImageDataViewType(3, 4), data.Schema["Picture"].Type);
        var back = ml.Data.CreateEnumerable<ImageRow>(data, reuseRowObject: false).ToArray();
        Assert.AreEqual(3, back.Length);
        for (int i = 0; i < 3; i++)
        {
            Assert.AreEqual(i, back[i].Id);
            CollectionAssert.AreEqual(rows[i].Pixels, back[i].Pixels);
            Assert.AreNotSame(rows[i].Pixels, back[i].Pixels);
            Assert.AreEqual(4, back[i].Picture!.Width);
            CollectionAssert.AreEqual(rows[i].Picture!.Pixels.ToArray(), back[i].Picture!.Pixels.ToArray());
        }
    }

    [TestMethod]
    public void CreateEnumerableNamesAMissingColumn()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(new[] { new Row() });
        var ex = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Data.CreateEnumerable<ImageRow>(data, false).ToList());
        StringAssert.Contains(ex.Message, "'Id'");
        Assert.AreEqual(1, ml.Data.CreateEnumerable<ImageRow>(data, false, ignoreMissingColumns: true).Count());
    }

    [TestMethod]
    public void TakeSkipShuffleAndSplit()
    {
        var ml = new MLContext(3);
        var data = ml.Data.LoadFromEnumerable(MakeRows(100));
        float[] Values(IDataView view) => ml.Data.CreateEnumerable<Row>(view, false).Select(r => r.Value).ToArray();

        CollectionAssert.AreEqual(new[] { 0f, 1f, 2f }, Values(ml.Data.TakeRows(data, 3)));
        CollectionAssert.AreEqual(new[] { 98f, 99f }, Values(ml.Data.SkipRows(data, 98)));
        Assert.AreEqual(3L, ml.Data.TakeRows(data, 3).GetRowCount());

        var shuffled = Values(ml.Data.ShuffleRows(data, seed: 1, shufflePoolSize: 10));
        CollectionAssert.AreEquivalent(Values(data), shuffled);
        CollectionAssert.AreNotEqual(Values(data), shuffled);
        CollectionAssert.AreEqual(shuffled, Values(ml.Data.ShuffleRows(data, seed: 1, shufflePoolSize: 10)));

        var split = ml.Data.TrainTestSplit(data, testFraction: 0.3, seed: 7);
        var train = Values(split.TrainSet);
        var test = Values(split.TestSet);
        Assert.AreEqual(100, train.Length + test.Length);
        Assert.AreEqual(0, train.Intersect(test).Count());
        Assert.IsTrue(test.Length is > 15 and < 45, $"test size {test.Length}");
        CollectionAssert.AreEqual(test, Values(ml.Data.TrainTestSplit(data, testFraction: 0.3, seed: 7).TestSet));
    }

    [TestMethod]
    public void VBufferSparseAndDense()
    {
        var sparse = new VBuffer<float>(5, 2, new[] { 1f, 2f }, new[] { 1, 3 });
        Assert.IsFalse(sparse.IsDense);
        CollectionAssert.AreEqual(new[] { 0f, 1f, 0f, 2f, 0f }, sparse.DenseValues().ToArray());
        Assert.AreEqual(2f, sparse.GetItemOrDefault(3));
        var dense = default(VBuffer<float>);
        sparse.CopyToDense(ref dense);
        Assert.IsTrue(dense.IsDense);
        Assert.AreEqual("Dense vector of size 5", dense.ToString());
        var editor = VBufferEditor.Create(ref dense, 5);
        Assert.IsFalse(editor.CreatedNewValues);
    }

    public sealed class ImageRow
    {
        public int Id { get; set; }

        [VectorType(3)]
        public float[] Pixels { get; set; } = Array.Empty<float>();

        [ImageType(3, 4)]
        public MLImage? Picture { get; set; }
    }
}
