// The peer a user would otherwise write: Google's official Node.js Pub/Sub client ensuring the same N topics, each
// with one subscription, as the resources benchmark's YAML (topic-NNNNN, sub-NNNNN), check-then-create.
//   node pubsub-peer.js sequential|concurrent PROJECT_ID N      (PUBSUB_EMULATOR_HOST points the client at the emulator)
// sequential: topic.exists() then create, then the subscription's, one after the other (what Seeding's runner does);
// concurrent: every topic at once, then every subscription at once (the fastest a short script gets).
// Prints one JSON line: work_ms (after the client is made), created, checked.
const { PubSub } = require('@google-cloud/pubsub');
const [mode, projectId, count] = process.argv.slice(2);
const n = Number(count);
const name = (kind, i) => `${kind}-${String(i).padStart(5, '0')}`;
const ALREADY_EXISTS = 6;

(async () => {
  const pubsub = new PubSub({ projectId });
  const started = performance.now();
  let created = 0;
  let checked = 0;
  const ensureTopic = async i => {
    const topic = pubsub.topic(name('topic', i));
    checked++;
    const [exists] = await topic.exists();
    if (!exists) {
      try { await topic.create(); created++; } catch (e) { if (e.code !== ALREADY_EXISTS) throw e; }
    }
  };
  const ensureSubscription = async i => {
    const subscription = pubsub.subscription(name('sub', i));
    checked++;
    const [exists] = await subscription.exists();
    if (!exists) {
      try { await pubsub.topic(name('topic', i)).createSubscription(name('sub', i)); created++; } catch (e) { if (e.code !== ALREADY_EXISTS) throw e; }
    }
  };
  if (mode === 'sequential') {
    for (let i = 1; i <= n; i++) {
      await ensureTopic(i);
      await ensureSubscription(i);
    }
  } else if (mode === 'concurrent') {
    const all = f => Promise.all(Array.from({ length: n }, (_, k) => f(k + 1)));
    await all(ensureTopic);
    await all(ensureSubscription);
  } else {
    throw new Error(`unknown mode '${mode}': sequential or concurrent`);
  }
  const work = performance.now() - started;
  await pubsub.close();
  console.log(JSON.stringify({ work_ms: Math.round(work), created, checked }));
})().catch(e => { console.error(e); process.exit(1); });
