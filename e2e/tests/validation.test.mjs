/**
 * Checks the page makes before it sends anything: messages next to the
 * fields, focus on the first invalid one, and no request.
 */

import assert from 'node:assert/strict';
import { KHAOS_STORE, MERCHANTS, WAREHOUSES, listConnections } from '../support/sandbox-data.mjs';
import { wizardSuite } from '../support/suite.mjs';

const wizardTest = wizardSuite();

wizardTest('empty Khaos credentials block submit', async ({ sandbox, recorded, wizard }) => {
  await wizard.signIn();
  await wizard.reachStoreSetup({
    connectionName: 'Northwind - Khaos -> ACME WMS',
    merchant: MERCHANTS.northwind,
    warehouse: WAREHOUSES.acmeLeeds,
  });
  await wizard.chooseNewStore();
  await wizard.field('Name').fill(KHAOS_STORE.name);
  await wizard.field('Platform').selectOption({ label: 'Khaos Control' });

  await wizard.addConnection();
  await wizard.waitForMessage('URL', 'Enter the URL.');
  await wizard.waitForMessage('User Password', 'Enter the User Password.');

  assert.equal(await wizard.isFocused('URL'), true, 'focus is on URL, the first invalid field');
  assert.equal(await wizard.field('URL').getAttribute('aria-invalid'), 'true');
  assert.equal(await wizard.field('User Password').getAttribute('aria-invalid'), 'true');
  assert.equal(await wizard.field('Name').getAttribute('aria-invalid'), 'false');
  assert.equal(recorded.apiRequests('POST', '/connections').length, 0, 'no request was sent');
  await wizard.waitForStep('Store Setup');

  await wizard.field('URL').fill(KHAOS_STORE.url);
  await wizard.waitForMessageGone('URL', 'Enter the URL.');
  assert.equal(await wizard.field('URL').getAttribute('aria-invalid'), 'false');
  assert.match(
    await wizard.descriptionOf('User Password'),
    /Enter the User Password\./,
    'the password message stays until the password is typed',
  );

  await wizard.field('User Password').fill(KHAOS_STORE.password);
  await wizard.waitForMessageGone('User Password', 'Enter the User Password.');
  assert.equal(await wizard.field('User Password').getAttribute('aria-invalid'), 'false');

  await wizard.addConnection();
  await wizard.createdConnectionId();
  assert.equal(recorded.apiRequests('POST', '/connections').length, 1);
  assert.equal((await listConnections(sandbox.dbPath)).length, 1);
});

wizardTest('invalid URL shows its rule', async ({ recorded, wizard }) => {
  await wizard.signIn();
  await wizard.reachStoreSetup({
    connectionName: 'Brand X - Khaos -> ACME WMS',
    merchant: MERCHANTS.brandX,
  });
  await wizard.fillKhaos({ ...KHAOS_STORE, url: 'api.khaoscloud.com/brand-x' });

  await wizard.addConnection();
  const message =
    'Enter a full address starting with https:// (or http:// for an on-premise server), such as https://api.khaoscloud.com/….';
  await wizard.waitForMessage('URL', message);
  assert.equal(await wizard.isFocused('URL'), true);
  assert.equal(recorded.apiRequests('POST', '/connections').length, 0, 'no request was sent');

  await wizard.field('URL').fill('https://api.khaoscloud.com/brand-x');
  await wizard.waitForMessageGone('URL', message);
});

wizardTest('empty Connection Name blocks Continue', async ({ wizard }) => {
  await wizard.signIn();
  await wizard.waitForStep('Basic Information');

  await wizard.button('Continue').click();
  await wizard.waitForMessage('Connection Name', 'Enter a connection name.');
  assert.equal(await wizard.isFocused('Connection Name'), true);
  await wizard.waitForStep('Basic Information');

  await wizard.field('Connection Name').fill('Brand X - Khaos -> ACME WMS');
  await wizard.waitForMessageGone('Connection Name', 'Enter a connection name.');
  await wizard.button('Continue').click();
  await wizard.waitForStep('Merchant Information');
});
