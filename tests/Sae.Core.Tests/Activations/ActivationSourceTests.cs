using CsCheck;
using Sae.Core.Activations;

namespace Sae.Core.Tests.Activations;

public sealed class ActivationSourceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sae-acts-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static float[,] Values(int rows, int columns)
    {
        var values = new float[rows, columns];
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < columns; c++)
                values[r, c] = r * 1000 + c + 0.5f;
        return values;
    }

    [Fact]
    public void Npy_files_round_trip_and_memory_map_row_by_row()
    {
        var path = Path.Combine(_dir, "acts.npy");
        var values = Values(37, 5);
        NpyFile.Write(path, values);
        NpyFile.ReadHeader(path).Should().Be((37L, 5, 128L));
        NpyFile.Read(path).Should().BeEquivalentTo(values);

        using var mapped = new NpyActivations(path);
        mapped.Count.Should().Be(37);
        mapped.Dimension.Should().Be(5);
        var rows = new float[15];
        mapped.CopyRows([36, 0, 7], rows);
        rows.Should().Equal(36000.5f, 36001.5f, 36002.5f, 36003.5f, 36004.5f, 0.5f, 1.5f, 2.5f, 3.5f, 4.5f, 7000.5f, 7001.5f, 7002.5f, 7003.5f, 7004.5f);

        var pastTheEnd = () => mapped.CopyRows([37], new float[5]);
        pastTheEnd.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*rows 0..36*");
        mapped.Dispose();
        var afterDispose = () => mapped.CopyRows([0], new float[5]);
        afterDispose.Should().Throw<ObjectDisposedException>();
    }

    [Fact]
    public void Malformed_npy_files_are_refused_by_name()
    {
        var path = Path.Combine(_dir, "bad.npy");
        NpyFile.Write(path, Values(4, 3));
        var good = File.ReadAllBytes(path);

        File.WriteAllBytes(path, good[..^4]);
        var read = () => NpyFile.ReadHeader(path);
        read.Should().Throw<InvalidDataException>().WithMessage("*truncated: shape (4, 3) needs 176 bytes, the file has 172");

        File.WriteAllText(path, "not numpy at all");
        read.Should().Throw<InvalidDataException>().WithMessage("*not a .npy file*");

        var text = System.Text.Encoding.Latin1.GetString(good);
        File.WriteAllBytes(path, System.Text.Encoding.Latin1.GetBytes(text.Replace("<f4", "<f8")));
        read.Should().Throw<InvalidDataException>().WithMessage("*dtype <f8*float32*");

        File.WriteAllBytes(path, System.Text.Encoding.Latin1.GetBytes(text.Replace("(4, 3)", "(2, 2, 3)")));
        read.Should().Throw<InvalidDataException>().WithMessage("*shape (2, 2, 3)*2-D*");

        File.WriteAllBytes(path, System.Text.Encoding.Latin1.GetBytes(text.Replace("False", "True ")));
        read.Should().Throw<InvalidDataException>().WithMessage("*Fortran order*");
    }

    [Fact]
    public void Each_epoch_of_a_row_permutation_visits_every_row_once()
    {
        Gen.Select(Gen.Long[1, 5000], Gen.ULong, Gen.Long[0, 100]).Sample((count, seed, epoch) =>
        {
            var permutation = new RowPermutation(count, seed);
            var rows = new long[count];
            for (long i = 0; i < count; i++) rows[i] = permutation[epoch, i];
            rows.Order().Should().Equal(Enumerable.Range(0, (int)count).Select(i => (long)i));
        }, iter: 60);
    }

    [Fact]
    public void Epochs_and_seeds_give_different_orders_and_the_same_key_the_same_order()
    {
        var a = new RowPermutation(1000, 7);
        var b = new RowPermutation(1000, 7);
        var c = new RowPermutation(1000, 8);
        long[] Order(RowPermutation p, long epoch) => [.. Enumerable.Range(0, 1000).Select(i => p[epoch, i])];
        Order(a, 0).Should().Equal(Order(b, 0));
        Order(a, 0).Should().NotEqual(Order(a, 1));
        Order(a, 0).Should().NotEqual(Order(c, 0));
        Order(a, 0).Take(20).Should().NotEqual(Enumerable.Range(0, 20).Select(i => (long)i), "the order is shuffled");
    }

    [Fact]
    public void Batches_cover_an_epoch_exactly_once_and_repeat_for_the_same_step()
    {
        using var source = new InMemoryActivations(Values(64, 3));
        using var batches = new ActivationBatches(source, batchSize: 16, seed: 3);
        var firstColumn = new List<float>();
        for (var step = 0; step < 4; step++)
            firstColumn.AddRange(batches.Batch(step).select(1, 0).data<float>().ToArray());
        firstColumn.Order().Should().Equal(Enumerable.Range(0, 64).Select(r => r * 1000 + 0.5f));
        var again = batches.Batch(2).data<float>().ToArray();
        batches.Batch(0);
        batches.Batch(2).data<float>().ToArray().Should().Equal(again);
    }

    [Fact]
    public void A_tensor_source_reads_the_same_rows_as_the_array_it_came_from()
    {
        var values = Values(10, 4);
        using var t = TorchSharp.torch.tensor(values);
        using var fromTensor = new TensorActivations(t);
        using var fromDoubles = new TensorActivations(t.to_type(TorchSharp.torch.ScalarType.Float64));
        using var fromArray = new InMemoryActivations(values);
        var a = new float[8];
        var b = new float[8];
        var c = new float[8];
        fromTensor.CopyRows([9, 2], a);
        fromDoubles.CopyRows([9, 2], b);
        fromArray.CopyRows([9, 2], c);
        a.Should().Equal(c);
        b.Should().Equal(c);
        var bad = () => new TensorActivations(TorchSharp.torch.zeros(3));
        bad.Should().Throw<ArgumentException>().WithMessage("*2-D*[3]*");
    }

    [Fact]
    public void A_sharded_store_reads_back_every_row_across_shard_boundaries()
    {
        var store = Path.Combine(_dir, "store");
        var values = Values(23, 3);
        ActivationStore.Write(store, 3, Enumerable.Range(0, 23).Select(r => Enumerable.Range(0, 3).Select(c => values[r, c]).ToArray()), rowsPerShard: 5);
        Directory.GetFiles(store, "*.npy").Should().HaveCount(5);
        ActivationStore.IsStore(store).Should().BeTrue();

        using var source = ActivationSources.Open(store);
        source.Should().BeOfType<ActivationStore>();
        source.Count.Should().Be(23);
        source.Dimension.Should().Be(3);
        var rows = Enumerable.Range(0, 23).Select(r => (long)r).Reverse().ToArray();
        var read = new float[23 * 3];
        source.CopyRows(rows, read);
        using var expected = new InMemoryActivations(values);
        var direct = new float[23 * 3];
        expected.CopyRows(rows, direct);
        read.Should().Equal(direct);
    }

    [Fact]
    public void A_store_whose_shards_disagree_with_its_manifest_is_refused()
    {
        var store = Path.Combine(_dir, "bad-store");
        ActivationStore.Write(store, 2, Enumerable.Range(0, 6).Select(r => new[] { r, r + 0.5f }), rowsPerShard: 4);
        NpyFile.Write(Path.Combine(store, "shard-00001.npy"), new float[3, 2]);
        var open = () => ActivationStore.Open(store);
        open.Should().Throw<InvalidDataException>().WithMessage("*shard shard-00001.npy holds [3, 2]; the manifest says [2, 2]");

        File.WriteAllText(Path.Combine(store, ActivationStore.ManifestFileName), "{\"dimension\": 2, \"shards\": [{\"file\": \"../x.npy\", \"rows\": 1}]}");
        open.Should().Throw<InvalidDataException>().WithMessage("*not a plain file name*");

        var missing = () => ActivationSources.Open(Path.Combine(_dir, "nothing-here"));
        missing.Should().Throw<InvalidDataException>().WithMessage("*no such activation file or store");
    }
}
