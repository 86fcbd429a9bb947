// The peer of the `backfill` benchmark: a hand-written backfill with the official Node client, as a team writes one
// without a framework. It pages the matching documents by document name with a cursor (500 per page, the next page
// read while the BulkWriter is still writing the last) and updates each through a BulkWriter. The writer's own
// 500/50/5 throttling is off, as Seeding's write ramp is off on the emulator (both write as fast as the emulator takes).
// Usage: node backfill-peer.js <projectId> <collection> <where field> <where value> <set as JSON>
//   a set value {"timestamp": "2030-01-01T00:00:00Z"} is written as a Firestore timestamp. Prints one JSON line.
const { Firestore, FieldPath, Timestamp } = require('@google-cloud/firestore');

(async () => {
  const [projectId, collection, whereField, whereValue, setJson] = process.argv.slice(2);
  const set = Object.fromEntries(Object.entries(JSON.parse(setJson)).map(([field, value]) =>
    [field, value !== null && typeof value === 'object' && 'timestamp' in value ? Timestamp.fromDate(new Date(value.timestamp)) : value]));
  const started = performance.now();
  const db = new Firestore({ projectId });
  const writer = db.bulkWriter({ throttling: false });
  let failed = 0;
  writer.onWriteError(error => {
    // A write the writer gives up on must not go unnoticed: the run then fails below.
    if (error.failedAttempts < 10) return true;
    failed++;
    console.error(`${error.documentRef.path}: ${error.message}`);
    return false;
  });
  let scanned = 0, updated = 0, last = null;
  for (;;) {
    let query = db.collection(collection).where(whereField, '==', whereValue).orderBy(FieldPath.documentId()).limit(500);
    if (last) query = query.startAfter(last);
    const page = await query.get();
    for (const snap of page.docs) {
      // Not awaited one by one: the writer batches and sends them while the next page is read.
      writer.update(snap.ref, set).then(() => updated++, () => {});
    }
    scanned += page.size;
    if (page.size < 500) break;
    last = page.docs[page.docs.length - 1];
  }
  await writer.close();
  const work = performance.now() - started;
  await db.terminate();
  if (failed > 0) throw new Error(`${failed} write(s) failed`);
  console.log(JSON.stringify({ work_ms: Math.round(work), scanned, updated }));
})().catch(e => { console.error(e); process.exit(1); });
