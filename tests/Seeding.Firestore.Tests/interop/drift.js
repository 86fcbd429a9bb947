// Edits made by hand, as an operator would with the official Node.js client (@google-cloud/firestore), for the
// `seeding diff` tests, against the emulator at FIRESTORE_EMULATOR_HOST. Usage: node drift.js <projectId>
//   roles/platform-admin: name changed to "Root Admin";
//   license_plans/team: field seats deleted;
//   user_statuses/disabled: document deleted.
// Prints "drift edits ok" when all three landed.
'use strict';
const { Firestore, FieldValue } = require('@google-cloud/firestore');

const projectId = process.argv[2];
if (!projectId || !process.env.FIRESTORE_EMULATOR_HOST) {
  console.error('usage: FIRESTORE_EMULATOR_HOST=host:port node drift.js <projectId>');
  process.exit(2);
}

const db = new Firestore({ projectId });

async function main() {
  await db.doc('roles/platform-admin').update({ name: 'Root Admin' });
  await db.doc('license_plans/team').update({ seats: FieldValue.delete() });
  await db.doc('user_statuses/disabled').delete();
  const [admin, team, disabled] = await db.getAll(db.doc('roles/platform-admin'), db.doc('license_plans/team'), db.doc('user_statuses/disabled'));
  if (admin.get('name') !== 'Root Admin' || team.get('seats') !== undefined || disabled.exists) {
    console.error('the edits did not land');
    process.exit(1);
  }
  console.log('drift edits ok');
}

main().catch((e) => { console.error(e); process.exit(1); });
