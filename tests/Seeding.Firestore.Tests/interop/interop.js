// Interop check with Google's official Node.js client (@google-cloud/firestore), against the emulator at
// FIRESTORE_EMULATOR_HOST. Usage: node interop.js <projectId> [values | legacy-write | legacy-check | write-typed <file.json>]
//  values (default):
//   1. reads from_seeding/all, which the .NET store wrote, and checks every value exactly as a Node service sees it;
//   2. writes from_node/* the way an existing service would, for the .NET side to read and query.
//  legacy-write: writes users and resources as an existing service did before Seeding (no created_at on some
//   resources, created_at: null on others, users keyed by their own ids with an email);
//  legacy-check: after a Seeding run over them, reads back: the existing users untouched, one new user under a
//   new_id, every resource without created_at backfilled (other fields kept), the dated one untouched.
//  write-typed <file.json>: writes the documents of the file ({"path": {field: value}}) as a Node service would,
//   each value given with an explicit type tag so nothing is guessed: a JSON string, true/false and null are themselves,
//   a JSON array is an array, and {"$int": "-9223372036854775808"}, {"$double": "NaN" | "-0" | "1.5E-300"},
//   {"$ts": "2024-05-01T12:00:00.123456789Z"}, {"$bytes": "base64"}, {"$geo": ["lat", "lng"]}, {"$ref": "roles/a"} and
//   {"$map": {key: value}} are the other kinds. (The Node client writes an integral JS number as an integer: a double
//   with an integral value up to 2^53 cannot be written by it, so the file must not ask for one.)
// Prints one line per problem and exits 1 if there was any; prints "interop ok" otherwise.
'use strict';
const { Firestore, Timestamp, GeoPoint, FieldValue, DocumentReference } = require('@google-cloud/firestore');

const projectId = process.argv[2];
const mode = process.argv[3] || 'values';
if (!projectId || !process.env.FIRESTORE_EMULATOR_HOST || !['values', 'legacy-write', 'legacy-check', 'write-typed'].includes(mode)
  || (mode === 'write-typed') !== (process.argv[4] !== undefined)) {
  console.error('usage: FIRESTORE_EMULATOR_HOST=host:port node interop.js <projectId> [values | legacy-write | legacy-check | write-typed <file.json>]');
  process.exit(2);
}
// useBigInt: integers come back as BigInt, so values beyond 2^53 are checked exactly.
const db = new Firestore({ projectId, useBigInt: true });
const problems = [];

function same(actual, expected, path) {
  const fail = (why) => problems.push(`${path}: ${why}`);
  if (expected === null) return actual === null || fail(`expected null, got ${describe(actual)}`);
  if (typeof expected === 'bigint') return actual === expected || fail(`expected ${expected}n, got ${describe(actual)}`);
  if (typeof expected === 'number') return Object.is(actual, expected) || fail(`expected ${Object.is(expected, -0) ? '-0' : expected}, got ${describe(actual)}`);
  if (typeof expected !== 'object') return actual === expected || fail(`expected ${JSON.stringify(expected)}, got ${describe(actual)}`);
  if (expected instanceof Timestamp) {
    return (actual instanceof Timestamp && actual.isEqual(expected)) || fail(`expected ${expected.seconds}s ${expected.nanoseconds}ns, got ${describe(actual)}`);
  }
  if (expected instanceof GeoPoint) return (actual instanceof GeoPoint && actual.isEqual(expected)) || fail(`expected ${describe(expected)}, got ${describe(actual)}`);
  if (expected instanceof DocumentReference) return (actual instanceof DocumentReference && actual.path === expected.path) || fail(`expected ref ${expected.path}, got ${describe(actual)}`);
  if (Buffer.isBuffer(expected)) return (Buffer.isBuffer(actual) && actual.equals(expected)) || fail(`expected bytes ${expected.toString('hex')}, got ${describe(actual)}`);
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return fail(`expected array of ${expected.length}, got ${describe(actual)}`);
    return expected.forEach((e, i) => same(actual[i], e, `${path}[${i}]`));
  }
  if (actual === null || typeof actual !== 'object' || actual.constructor !== Object) return fail(`expected a map, got ${describe(actual)}`);
  const keys = (o) => Object.keys(o).sort();
  if (JSON.stringify(keys(actual)) !== JSON.stringify(keys(expected))) return fail(`keys ${JSON.stringify(keys(actual))} != ${JSON.stringify(keys(expected))}`);
  for (const k of keys(expected)) same(actual[k], expected[k], `${path}.${k}`);
}

function describe(v) {
  if (typeof v === 'bigint') return `${v}n`;
  if (v instanceof Timestamp) return `Timestamp(${v.seconds}s ${v.nanoseconds}ns)`;
  if (Buffer.isBuffer(v)) return `bytes ${v.toString('hex')}`;
  if (v && v.constructor && v.constructor.name !== 'Object') return `${v.constructor.name} ${JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? `${x}n` : x))}`;
  return JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? `${x}n` : x));
}

async function checkWhatSeedingWrote() {
  const snap = await db.doc('from_seeding/all').get();
  if (!snap.exists) return problems.push('from_seeding/all does not exist');
  const data = snap.data(); // data()[key], not get(key): some keys contain dots
  const serverTime = data.server_time;
  if (!(serverTime instanceof Timestamp) || serverTime.toMillis() > snap.updateTime.toMillis() || Date.now() - serverTime.toMillis() > 600000) {
    problems.push(`server_time: expected a recent Timestamp not after the update time, got ${describe(serverTime)}`);
  }
  delete data.server_time;
  same(data, {
    null: null,
    true: true,
    false: false,
    int_max: 9223372036854775807n,
    int_min: -9223372036854775808n,
    int_2p53_plus_1: 9007199254740993n,
    double: 0.1,
    double_neg_zero: -0,
    nan: NaN,
    pos_inf: Infinity,
    neg_inf: -Infinity,
    double_max: Number.MAX_VALUE,
    ts_micros: new Timestamp(1714564800, 123456000),
    ts_before_1970: new Timestamp(-1, 999999000),
    ts_min: new Timestamp(-62135596800, 0),
    string: 'héllo wörld ✓ 日本語 🚀',
    empty_string: '',
    bytes: Buffer.from([0, 1, 2, 254, 255]),
    empty_bytes: Buffer.alloc(0),
    ref: db.doc('tenants/t1/users/ü 1'),
    geo: new GeoPoint(-33.8688, 151.2093),
    array: [1n, 'two', null, { k: true }],
    empty_array: [],
    empty_map: {},
    nested: { a: { b: [1.5, Buffer.from([7])] }, 'ключ': 'значение' },
    'ünïcødé key.with dots': 'x',
    '`backtick`': 1n,
  }, 'from_seeding/all');
}

async function writeAsAService() {
  const batch = db.batch();
  batch.set(db.doc('from_node/svc1'), {
    name: 'Ünïcode 🚀',
    count: 42,
    big: 9007199254740993n,
    ratio: 0.5,
    nan: NaN,
    minus_inf: -Infinity,
    active: true,
    tenant: 't1',
    deleted: null,
    precise: new Timestamp(1714564800, 123456789),
    at: FieldValue.serverTimestamp(),
    loc: new GeoPoint(52.52, 13.405),
    owner: db.doc('users/u1'),
    blob: Buffer.from([1, 2, 3]),
    tags: ['a', 'b'],
    profile: { address: { city: 'Zürich' }, 'dotted.key': 1 },
    empty: {},
    list_empty: [],
  });
  batch.set(db.doc('from_node/svc2'), { tenant: 't1', deleted: null });
  batch.set(db.doc('from_node/svc3'), { tenant: 't2' });
  batch.set(db.doc('from_node/svc1/events/e1'), { kind: 'created', at: FieldValue.serverTimestamp() });
  await batch.commit();
  // A later partial update, as services do: the .NET side must see the merged result.
  await db.doc('from_node/svc2').set({ note: 'merged' }, { merge: true });
}

// What a service wrote before it adopted Seeding. The fixed instant is what 'r3' was created at.
const DATED = new Timestamp(1714564800, 123456000);

async function writeLegacyData() {
  const batch = db.batch();
  batch.set(db.doc('users/u-legacy-1'), { email: 'ada@legacy.test', name: 'Ada', roles: ['admin'], created_at: FieldValue.serverTimestamp() });
  batch.set(db.doc('users/system'), { email: 'system@legacy.test', name: 'System (set up by hand)' });
  batch.set(db.doc('resources/r1'), { name: 'no created_at', tags: ['a'], meta: { owner: 'u-legacy-1' } });
  batch.set(db.doc('resources/r2'), { name: 'created_at null', created_at: null, size: 2n });
  batch.set(db.doc('resources/r3'), { name: 'dated', created_at: DATED });
  batch.set(db.doc('resources/r4'), { name: 'also no created_at', deleted: false });
  await batch.commit();
}

async function checkLegacyData() {
  const untouched = (snap) => snap.exists && snap.createTime.isEqual(snap.updateTime);
  const users = await db.collection('users').get();
  if (users.size !== 3) problems.push(`users: expected 3 documents, found ${users.size}: ${users.docs.map((d) => d.id).join(', ')}`);
  const ada = users.docs.find((d) => d.id === 'u-legacy-1');
  if (!ada || !untouched(ada)) problems.push('users/u-legacy-1: expected the existing user, never rewritten');
  else {
    const { created_at: at, ...rest } = ada.data();
    same(rest, { email: 'ada@legacy.test', name: 'Ada', roles: ['admin'] }, 'users/u-legacy-1');
    if (!(at instanceof Timestamp)) problems.push(`users/u-legacy-1.created_at: expected a Timestamp, got ${describe(at)}`);
  }
  const system = users.docs.find((d) => d.id === 'system');
  if (!system || !untouched(system)) problems.push('users/system: expected the existing document, never rewritten');
  else same(system.data(), { email: 'system@legacy.test', name: 'System (set up by hand)' }, 'users/system');
  const byEmail = await db.collection('users').where('email', '==', 'grace@legacy.test').get();
  if (byEmail.size !== 1) problems.push(`users where email == grace@legacy.test: expected 1, found ${byEmail.size}`);
  else {
    const grace = byEmail.docs[0];
    if (!/^user-[0-9a-f]{8}$/.test(grace.id)) problems.push(`new user id ${grace.id} does not follow new_id user-{hex:8}`);
    same(grace.data(), { email: 'grace@legacy.test', name: 'Grace' }, `users/${grace.id}`);
  }

  const now = Date.now();
  const backfilled = (id, kept) => async () => {
    const snap = await db.doc(`resources/${id}`).get();
    const { created_at: at, backfilled: flag, ...rest } = snap.data() || {};
    if (!(at instanceof Timestamp) || now - at.toMillis() > 600000 || at.toMillis() > snap.updateTime.toMillis()) {
      problems.push(`resources/${id}.created_at: expected the backfill's server time, got ${describe(at)}`);
    }
    same(flag, true, `resources/${id}.backfilled`);
    same(rest, kept, `resources/${id} (other fields kept)`);
  };
  await backfilled('r1', { name: 'no created_at', tags: ['a'], meta: { owner: 'u-legacy-1' } })();
  await backfilled('r2', { name: 'created_at null', size: 2n })();
  await backfilled('r4', { name: 'also no created_at', deleted: false })();
  const r3 = await db.doc('resources/r3').get();
  if (!untouched(r3)) problems.push('resources/r3: a dated resource must not be rewritten');
  same(r3.data(), { name: 'dated', created_at: DATED }, 'resources/r3');
  const stillNull = await db.collection('resources').where('created_at', '==', null).get();
  if (!stillNull.empty) problems.push(`resources where created_at == null: expected none, found ${stillNull.docs.map((d) => d.id).join(', ')}`);
}

// A tagged JSON value (see write-typed above) as the Node client's own type.
function typed(v, path) {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map((x, i) => typed(x, `${path}[${i}]`));
  const keys = typeof v === 'object' ? Object.keys(v) : [];
  if (keys.length !== 1) throw new Error(`${path}: expected one type tag, got ${JSON.stringify(v)}`);
  const x = v[keys[0]];
  switch (keys[0]) {
    case '$int': return BigInt(x);
    case '$double': {
      const n = Number(x);
      if (Number.isNaN(n) && x !== 'NaN') throw new Error(`${path}: '${x}' is not a double`);
      if (Number.isSafeInteger(n) && !Object.is(n, -0)) throw new Error(`${path}: the Node client writes ${x} as an integer`);
      return n;
    }
    case '$ts': {
      const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(x);
      if (!m) throw new Error(`${path}: '${x}' is not a UTC timestamp`);
      return new Timestamp(Date.parse(`${m[1]}Z`) / 1000, Number((m[2] || '').padEnd(9, '0')));
    }
    case '$bytes': return Buffer.from(x, 'base64');
    case '$geo': return new GeoPoint(Number(x[0]), Number(x[1]));
    case '$ref': return db.doc(x);
    case '$map': return Object.fromEntries(Object.entries(x).map(([k, e]) => [k, typed(e, `${path}.${k}`)]));
    default: throw new Error(`${path}: unknown type tag ${keys[0]}`);
  }
}

async function writeTyped(file) {
  const documents = Object.entries(JSON.parse(require('fs').readFileSync(file, 'utf8')));
  for (let i = 0; i < documents.length; i += 500) {
    const batch = db.batch();
    for (const [path, fields] of documents.slice(i, i + 500)) batch.set(db.doc(path), typed({ $map: fields }, path));
    await batch.commit();
  }
}

(async () => {
  if (mode === 'write-typed') {
    await writeTyped(process.argv[4]);
  } else if (mode === 'values') {
    await checkWhatSeedingWrote();
    await writeAsAService();
  } else if (mode === 'legacy-write') {
    await writeLegacyData();
  } else {
    await checkLegacyData();
  }
  await db.terminate();
  for (const p of problems) console.log(`problem: ${p}`);
  console.log(problems.length === 0 ? 'interop ok' : `interop failed: ${problems.length} problem(s)`);
  process.exit(problems.length === 0 ? 0 : 1);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
