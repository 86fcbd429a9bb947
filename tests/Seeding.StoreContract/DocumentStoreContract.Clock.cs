using Seeding.Store;
using Seeding.Values;

namespace Seeding.StoreContract;

// The store's clock: reads are stamped with it, commits are stamped with it, and the two agree on order. Lease expiry
// is judged by this clock alone (a lease written with an expiry in store time, compared with a read's store time), so
// runners whose own clocks are skewed cannot take a live lease or wait for a dead one longer than its TTL.
public abstract partial class DocumentStoreContract
{
    [Fact]
    public async Task GetAll_stamps_every_snapshot_with_one_read_time_no_earlier_than_the_commits_it_sees()
    {
        var committed = Doc("clock", "committed");
        var batched = Doc("clock", "batched");
        var missing = Doc("clock", "missing");
        var commit = await Store.CommitAsync([DocumentWrite.Create(committed, F(("v", Value.Integer(1))))]);
        var batch = await Store.WriteBatchAsync([DocumentWrite.Create(batched, F(("v", Value.Integer(2))))]);

        var snapshots = await Store.GetAllAsync([committed, batched, missing]);

        Assert.All(snapshots, s => Assert.NotNull(s.ReadTime));
        var readTime = snapshots[0].ReadTime!.Value;
        Assert.All(snapshots, s => Assert.Equal(readTime, s.ReadTime));
        Assert.True(readTime >= commit[0].UpdateTime!.Value, $"read at {readTime}, before the commit it sees at {commit[0].UpdateTime}");
        Assert.True(readTime >= batch[0].UpdateTime!.Value, $"read at {readTime}, before the batch write it sees at {batch[0].UpdateTime}");
        Assert.True(readTime >= snapshots[1].UpdateTime!.Value);
    }

    [Fact]
    public async Task A_commit_that_starts_after_a_read_is_stamped_no_earlier_than_the_read_time()
    {
        var path = Doc("clock", "lease");
        for (var i = 0; i < 3; i++)
        {
            var read = (await Store.GetAllAsync([path]))[0].ReadTime!.Value;
            var written = await Store.CommitAsync([DocumentWrite.Set(path, F(("at", Value.ServerTimestamp)))]);
            var stored = (await Store.GetAllAsync([path]))[0];

            Assert.True(written[0].UpdateTime!.Value >= read, $"committed at {written[0].UpdateTime}, before the earlier read at {read}");
            // The server time is the commit's request time, on the same clock (Firestore's to the millisecond).
            var at = stored.Fields["at"].AsTimestamp();
            Assert.True(at.UnixMicroseconds >= read.UnixMicroseconds / 1000 * 1000 && at <= written[0].UpdateTime!.Value, $"server time {at}, read at {read}");
            Assert.True(stored.ReadTime!.Value >= written[0].UpdateTime!.Value);
        }
    }

    [Fact]
    public async Task The_store_clock_advances_in_real_time()
    {
        var path = Doc("clock", "any");
        var first = (await Store.GetAllAsync([path]))[0].ReadTime!.Value;
        await Task.Delay(200);
        var second = (await Store.GetAllAsync([path]))[0].ReadTime!.Value;

        // A lease's TTL is measured on this clock, so it must move with time even when nothing is written.
        var elapsed = second.ToDateTimeOffset() - first.ToDateTimeOffset();
        Assert.True(elapsed >= TimeSpan.FromMilliseconds(100), $"the store's clock moved {elapsed.TotalMilliseconds} ms in 200 ms");
    }
}
