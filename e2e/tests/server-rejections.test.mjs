/**
 * Requests the page accepts but the server rejects: 422 with field errors
 * and 409 for a connection that already exists.
 */

import assert from 'node:assert/strict';
import { executeDb } from '../support/db.mjs';
import {
  EXISTING_STORE,
  KHAOS_STORE,
  MERCHANTS,
  listConnections,
  listStores,
} from '../support/sandbox-data.mjs';
import { wizardSuite } from '../support/suite.mjs';

const wizardTest = wizardSuite();

const REJECTED_VALUES =
  'DropStream rejected some of the values. Correct the fields marked below and try again.';

wizardTest('store deleted meanwhile gets 422', async ({ sandbox, recorded, wizard }) => {
  await wizard.signIn();
  await wizard.reachStoreSetup({
    connectionName: 'Brand X - existing Khaos -> ACME WMS',
    merchant: MERCHANTS.brandX,
  });
  await wizard.chooseExistingStore(EXISTING_STORE.optionText);

  // Another user deletes the store after the page listed it, so the page
  // cannot know that the id it sends no longer exists.
  const [existing] = (await listStores(sandbox.dbPath)).filter(
    (store) => store.name === EXISTING_STORE.name,
  );
  const deleted = await executeDb(sandbox.dbPath, 'DELETE FROM stores WHERE id = ?', [existing.id]);
  assert.equal(deleted, 1);

  await wizard.addConnection();
  const message = `No store with id ${existing.id} exists.`;
  await wizard.waitForMessage('Store', message);

  const [response] = recorded.responsesFrom('POST', '/connections');
  assert.equal(response.status, 422);
  assert.deepEqual(JSON.parse(await response.body), { errors: { store_id: [message] } });
  assert.equal(await wizard.alert().innerText(), REJECTED_VALUES);
  assert.equal(await wizard.isFocused('Store'), true, 'focus is on the rejected field');
  assert.equal(await wizard.field('Store').getAttribute('aria-invalid'), 'true');
  assert.equal(await wizard.selectedOptionText('Store'), EXISTING_STORE.optionText);
  assert.equal(
    await wizard.page.getByRole('radio', { name: 'Use existing store', exact: true }).isChecked(),
    true,
  );
  assert.deepEqual(await listConnections(sandbox.dbPath), []);
});

wizardTest('server URL error shown next to URL', async ({ sandbox, recorded, wizard, page }) => {
  // The sandbox cannot reach Khaos Control, so it never rejects a well-formed
  // URL. This route replaces the sandbox's response with the documented 422
  // body that a backend which tried the address would return. The request
  // itself is not changed.
  const serverMessage = 'Khaos Control did not answer at this address. Check the URL.';
  await page.route('**/api/connections', async (route) => {
    if (route.request().method() !== 'POST') {
      await route.continue();
      return;
    }
    await route.fulfill({
      status: 422,
      contentType: 'application/json',
      body: JSON.stringify({ errors: { 'store.adapter.url': [serverMessage] } }),
    });
  });

  await wizard.signIn();
  await wizard.reachStoreSetup({
    connectionName: 'Brand X - Khaos -> ACME WMS',
    merchant: MERCHANTS.brandX,
  });
  const typed = { ...KHAOS_STORE, name: 'Brand X Khaos' };
  await wizard.fillKhaos(typed);
  await wizard.addConnection();

  await wizard.waitForMessage('URL', serverMessage);
  assert.equal(await wizard.alert().innerText(), REJECTED_VALUES);
  assert.equal(await wizard.isFocused('URL'), true, 'focus is on the rejected field');
  assert.equal(await wizard.field('URL').getAttribute('aria-invalid'), 'true');
  assert.deepEqual(await wizard.readKhaos(), { ...typed, platform: 'Khaos Control' });
  assert.equal(recorded.apiRequests('POST', '/connections').length, 1);

  // Editing the field clears the server's message; the corrected request
  // then reaches the real sandbox.
  await page.unroute('**/api/connections');
  await wizard.field('URL').fill('https://api.khaoscloud.com/brand-x');
  await wizard.waitForMessageGone('URL', serverMessage);
  await wizard.addConnection();
  const shownId = await wizard.createdConnectionId();
  const connections = await listConnections(sandbox.dbPath);
  assert.deepEqual(
    connections.map(({ id }) => id),
    [shownId],
  );
});

wizardTest('same connection twice gets 409', async ({ sandbox, recorded, wizard }) => {
  await wizard.signIn();
  await wizard.reachStoreSetup({
    connectionName: 'Brand X - existing Khaos -> ACME WMS',
    merchant: MERCHANTS.brandX,
  });
  await wizard.chooseExistingStore(EXISTING_STORE.optionText);
  await wizard.addConnection();
  const firstId = await wizard.createdConnectionId();

  await wizard.button('Add another connection').click();
  await wizard.waitForStep('Basic Information');
  await wizard.reachStoreSetup({
    connectionName: 'Brand X - Khaos again',
    merchant: MERCHANTS.brandX,
  });
  await wizard.chooseExistingStore(EXISTING_STORE.optionText);
  await wizard.addConnection();

  await wizard.alert().waitFor();
  assert.match(
    await wizard.alert().innerText(),
    /A connection for this merchant, store and warehouse already exists\./,
  );
  const responses = recorded.responsesFrom('POST', '/connections');
  assert.deepEqual(
    responses.map((response) => response.status),
    [201, 409],
  );
  const keys = recorded
    .apiRequests('POST', '/connections')
    .map((request) => request.headers['idempotency-key']);
  assert.notEqual(keys[0], keys[1], 'a new submission gets a new Idempotency-Key');

  await wizard.waitForStep('Store Setup');
  assert.equal(await wizard.selectedOptionText('Store'), EXISTING_STORE.optionText);
  await wizard.button('Back').click();
  await wizard.waitForStep('Warehouse Setup');
  await wizard.button('Back').click();
  await wizard.waitForStep('Merchant Information');
  assert.equal(await wizard.selectedOptionText('Merchant'), MERCHANTS.brandX);
  await wizard.button('Back').click();
  await wizard.waitForStep('Basic Information');
  assert.equal(await wizard.field('Connection Name').inputValue(), 'Brand X - Khaos again');

  const connections = await listConnections(sandbox.dbPath);
  assert.deepEqual(
    connections.map(({ id }) => id),
    [firstId],
  );
});
