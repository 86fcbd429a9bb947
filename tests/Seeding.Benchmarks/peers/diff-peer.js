// The peer of the `diff` benchmark: what a team would write with the official Node client to compare live Firestore
// documents with their YAML seeds. It parses every migration file (js-yaml, `!now` as "any timestamp"), reads the
// declared documents with getAll in chunks of 1,000 and compares each declared field, like `seeding diff`.
// Usage: node diff-peer.js <projectId> <migrations folder>   (FIRESTORE_EMULATOR_HOST set; prints one JSON line)
const fs = require('fs');
const path = require('path');
const yaml = require('js-yaml');
const { Firestore, Timestamp } = require('@google-cloud/firestore');

const NOW = Symbol('now');
const schema = yaml.DEFAULT_SCHEMA.extend([new yaml.Type('!now', { kind: 'scalar', construct: () => NOW })]);

function same(live, declared) {
  if (declared === NOW) return live instanceof Timestamp;
  if (Array.isArray(declared)) return Array.isArray(live) && live.length === declared.length && declared.every((d, i) => same(live[i], d));
  if (declared !== null && typeof declared === 'object') {
    if (live === null || typeof live !== 'object' || Array.isArray(live)) return false;
    const keys = Object.keys(declared);
    return keys.length === Object.keys(live).length && keys.every(k => same(live[k], declared[k]));
  }
  return live === declared;
}

(async () => {
  const [projectId, folder] = process.argv.slice(2);
  const started = performance.now();
  const declared = [];
  for (const file of fs.readdirSync(folder).filter(f => f.endsWith('.yaml')).sort()) {
    const seed = yaml.load(fs.readFileSync(path.join(folder, file), 'utf8'), { schema });
    const key = seed.key || 'id';
    for (const doc of seed.documents) {
      const fields = { ...(seed.defaults || {}), ...doc };
      const id = String(fields[key]);
      if (key === 'id') delete fields.id;
      declared.push({ path: `${seed.create}/${id}`, fields });
    }
  }
  const db = new Firestore({ projectId });
  let drifted = 0, missing = 0;
  for (let first = 0; first < declared.length; first += 1000) {
    const chunk = declared.slice(first, first + 1000);
    const snaps = await db.getAll(...chunk.map(d => db.doc(d.path)));
    snaps.forEach((snap, i) => {
      if (!snap.exists) { missing++; drifted++; return; }
      const live = snap.data();
      if (!Object.entries(chunk[i].fields).every(([k, v]) => k in live && same(live[k], v))) drifted++;
    });
  }
  const work = performance.now() - started;
  await db.terminate();
  console.log(JSON.stringify({ work_ms: Math.round(work), documents: declared.length, drifted, missing }));
})().catch(e => { console.error(e); process.exit(1); });
