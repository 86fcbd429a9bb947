// The peer of the `backfill` benchmark: a hand-written backfill with the official Node client, paging the collection by
// document name with a cursor (500 per page) and updating each matching document through a BulkWriter.
// Usage: node backfill-peer.js <projectId> <collection> <where field> <where value> <set field> <set value>
const { Firestore, FieldPath } = require('@google-cloud/firestore');

(async () => {
  const [projectId, collection, whereField, whereValue, setField, setValue] = process.argv.slice(2);
  const started = performance.now();
  const db = new Firestore({ projectId });
  const writer = db.bulkWriter();
  let scanned = 0, updated = 0, last = null;
  for (;;) {
    let query = db.collection(collection).where(whereField, '==', whereValue).orderBy(FieldPath.documentId()).limit(500);
    if (last) query = query.startAfter(last);
    const page = await query.get();
    for (const snap of page.docs) {
      writer.update(snap.ref, { [setField]: setValue });
      updated++;
    }
    scanned += page.size;
    if (page.size < 500) break;
    last = page.docs[page.docs.length - 1];
  }
  await writer.close();
  const work = performance.now() - started;
  await db.terminate();
  console.log(JSON.stringify({ work_ms: Math.round(work), scanned, updated }));
})().catch(e => { console.error(e); process.exit(1); });
