/**
 * Sending Add connection: one request per submission, the in-flight state,
 * and recovery from a failed or lost response without a second connection.
 */

import assert from 'node:assert/strict';
import { KHAOS_STORE, MERCHANTS, WAREHOUSES, listConnections } from '../support/sandbox-data.mjs';
import { wizardSuite } from '../support/suite.mjs';

const wizardTest = wizardSuite();

/** Long enough for every check of the in-flight state to run before the response arrives. */
const SERVER_DELAY_MS = 1500;

/** What the Store Setup step shows after `fillKhaos(KHAOS_STORE)`. */
const SHOWN_STORE = { ...KHAOS_STORE, platform: 'Khaos Control' };

async function fillEverything(wizard) {
  await wizard.signIn();
  await wizard.reachStoreSetup({
    connectionName: 'Northwind - Khaos -> Harbor 3PL',
    merchant: MERCHANTS.northwind,
    warehouse: WAREHOUSES.harborNewark,
  });
  await wizard.fillKhaos(KHAOS_STORE);
}

wizardTest('double click sends one request', async ({ sandbox, recorded, wizard }) => {
  await fillEverything(wizard);
  // The delay keeps the first request in flight while the second click
  // lands, so the test does not depend on how fast loopback responds.
  await sandbox.setConnectionFault('delay', { delayMs: SERVER_DELAY_MS });

  await wizard.button('Add connection').dblclick();
  const shownId = await wizard.createdConnectionId();

  assert.equal(recorded.apiRequests('POST', '/connections').length, 1);
  const connections = await listConnections(sandbox.dbPath);
  assert.deepEqual(
    connections.map(({ id }) => id),
    [shownId],
  );
});

wizardTest('button disabled while request in flight', async ({ sandbox, wizard }) => {
  await fillEverything(wizard);
  await sandbox.setConnectionFault('delay', { delayMs: SERVER_DELAY_MS });

  await wizard.addConnection();
  const busyButton = wizard.button('Adding connection…');
  await busyButton.waitFor();
  assert.equal(await busyButton.isDisabled(), true);
  assert.equal(await wizard.button('Add connection').count(), 0);
  assert.equal(
    await busyButton.evaluate((button) => button.form?.getAttribute('aria-busy')),
    'true',
  );

  await wizard.createdConnectionId();
  assert.equal((await listConnections(sandbox.dbPath)).length, 1);
});

wizardTest('failed submit keeps values, retry succeeds', async ({ sandbox, recorded, wizard }) => {
  await fillEverything(wizard);
  await sandbox.setConnectionFault('fail_500');

  await wizard.addConnection();
  await wizard.button('Try again').waitFor();
  const alertText = await wizard.alert().innerText();
  assert.match(alertText, /DropStream could not complete the request \(HTTP 500/);
  assert.match(alertText, /Everything you typed is kept\./);
  assert.deepEqual(await wizard.readKhaos(), SHOWN_STORE, 'every Store Setup value is kept');
  assert.deepEqual(await listConnections(sandbox.dbPath), []);

  await wizard.button('Try again').click();
  const shownId = await wizard.createdConnectionId();

  const posts = recorded.apiRequests('POST', '/connections');
  assert.equal(posts.length, 2);
  assert.equal(posts[1].postData, posts[0].postData, 'the retry sends the same body');
  assert.equal(posts[1].headers['idempotency-key'], posts[0].headers['idempotency-key']);
  const connections = await listConnections(sandbox.dbPath);
  assert.deepEqual(
    connections.map(({ id, name }) => ({ id, name })),
    [{ id: shownId, name: 'Northwind - Khaos -> Harbor 3PL' }],
  );
});

wizardTest('lost response retried with same key', async ({ sandbox, recorded, wizard }) => {
  await fillEverything(wizard);
  await sandbox.setConnectionFault('drop_after_commit');

  await wizard.addConnection();
  await wizard.button('Try again').waitFor();
  assert.match(await wizard.alert().innerText(), /HTTP 502/);
  const committed = await listConnections(sandbox.dbPath);
  assert.equal(committed.length, 1, 'the sandbox committed the connection before the 502');
  assert.deepEqual(await wizard.readKhaos(), SHOWN_STORE, 'every Store Setup value is kept');

  await wizard.button('Try again').click();
  const shownId = await wizard.createdConnectionId();

  const posts = recorded.apiRequests('POST', '/connections');
  assert.equal(posts.length, 2);
  const [firstKey, retryKey] = posts.map((post) => post.headers['idempotency-key']);
  assert.ok(firstKey, 'the first request has an Idempotency-Key');
  assert.equal(retryKey, firstKey, 'the retry reuses the Idempotency-Key');
  assert.equal(posts[1].postData, posts[0].postData, 'the retry sends the same body');

  const [, replayed] = recorded.responsesFrom('POST', '/connections');
  assert.equal(replayed.status, 201);
  assert.equal(replayed.headers['idempotent-replayed'], 'true');

  const connections = await listConnections(sandbox.dbPath);
  assert.deepEqual(connections, committed, 'no second connection was created');
  assert.equal(shownId, committed[0].id, 'the page shows the committed id');
});
