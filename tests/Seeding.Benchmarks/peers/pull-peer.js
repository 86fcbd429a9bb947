// The peer of the `pull` benchmark: streams a collection with the official Node client (collection.stream()) and
// writes each document as a line of JSON, as a team would export data it wants to keep.
// Usage: node pull-peer.js <projectId> <collection> <out file>   (FIRESTORE_EMULATOR_HOST set; prints one JSON line)
const fs = require('fs');
const { Firestore } = require('@google-cloud/firestore');

(async () => {
  const [projectId, collection, out] = process.argv.slice(2);
  const started = performance.now();
  const db = new Firestore({ projectId });
  const file = fs.createWriteStream(out);
  let documents = 0;
  for await (const snap of db.collection(collection).stream()) {
    if (!file.write(JSON.stringify({ id: snap.id, ...snap.data() }) + '\n')) await new Promise(r => file.once('drain', r));
    documents++;
  }
  await new Promise(r => file.end(r));
  const work = performance.now() - started;
  await db.terminate();
  console.log(JSON.stringify({ work_ms: Math.round(work), documents }));
})().catch(e => { console.error(e); process.exit(1); });
