/**
 * Moving between the wizard's steps with Back and Continue, and with Enter
 * in a field, which submits the step's form.
 */

import assert from 'node:assert/strict';
import { DEMO_USER } from '../support/wizard-page.mjs';
import {
  KHAOS_STORE,
  MERCHANTS,
  WAREHOUSES,
  listConnections,
  listStores,
  merchantId,
  warehouseId,
} from '../support/sandbox-data.mjs';
import { wizardSuite } from '../support/suite.mjs';

const wizardTest = wizardSuite();

wizardTest('Back and Continue keep every value', async ({ sandbox, recorded, wizard }) => {
  const connectionName = 'Northwind - Khaos -> Harbor 3PL';
  const typedStore = { ...KHAOS_STORE, platform: 'Khaos Control' };

  await wizard.signIn();
  await wizard.reachStoreSetup({
    connectionName,
    merchant: MERCHANTS.northwind,
    warehouse: WAREHOUSES.harborNewark,
  });
  await wizard.fillKhaos(KHAOS_STORE);

  await wizard.button('Back').click();
  await wizard.waitForStep('Warehouse Setup');
  assert.equal(await wizard.selectedOptionText('Warehouse'), WAREHOUSES.harborNewark);

  await wizard.button('Back').click();
  await wizard.waitForStep('Merchant Information');
  assert.equal(await wizard.selectedOptionText('Merchant'), MERCHANTS.northwind);

  await wizard.button('Back').click();
  await wizard.waitForStep('Basic Information');
  assert.equal(await wizard.field('Connection Name').inputValue(), connectionName);

  await wizard.button('Continue').click();
  await wizard.waitForStep('Merchant Information');
  assert.equal(await wizard.selectedOptionText('Merchant'), MERCHANTS.northwind);

  await wizard.button('Continue').click();
  await wizard.waitForStep('Warehouse Setup');
  assert.equal(await wizard.selectedOptionText('Warehouse'), WAREHOUSES.harborNewark);

  await wizard.button('Continue').click();
  await wizard.waitForStep('Store Setup');
  assert.equal(
    await wizard.page.getByRole('radio', { name: 'Create new store', exact: true }).isChecked(),
    true,
  );
  assert.deepEqual(await wizard.readKhaos(), typedStore);

  // The values kept on screen are also the ones sent.
  await wizard.addConnection();
  await wizard.createdConnectionId();
  const northwindId = await merchantId(sandbox.dbPath, MERCHANTS.northwind);
  const harborId = await warehouseId(sandbox.dbPath, northwindId, WAREHOUSES.harborNewark);
  const [post] = recorded.apiRequests('POST', '/connections');
  const body = JSON.parse(post.postData);
  assert.equal(body.name, connectionName);
  assert.equal(body.customer_id, northwindId);
  assert.equal(body.warehouse_id, harborId);
  assert.deepEqual(body.store, {
    name: 'Northwind Khaos',
    platform: 'khaos_control',
    adapter: {
      url: 'https://api.khaoscloud.com/northwind/KhaosIDS.exe',
      password: 'Kh4os-user-pass ',
      order_import_status: 12,
      substage_id: 4,
      site_name: 'Main Site',
    },
  });
  const stores = await listStores(sandbox.dbPath);
  assert.equal(stores.filter((store) => store.name === 'Northwind Khaos').length, 1);
});

wizardTest('Enter submits steps without errors', async ({ sandbox, recorded, wizard }) => {
  // Each Enter below replaces the step, and with it the focused input.
  const errorsAfterEnter = {};
  let errorsBefore = 0;
  const noteErrors = (where) => {
    errorsAfterEnter[where] = recorded.pageErrors.slice(errorsBefore);
    errorsBefore = recorded.pageErrors.length;
  };

  await wizard.field('Username').fill(DEMO_USER.username);
  await wizard.field('Password').fill(DEMO_USER.password);
  await wizard.field('Password').press('Enter');
  await wizard.waitForStep('Basic Information');
  noteErrors('Password on Sign in');

  await wizard.field('Connection Name').fill('Brand X - Khaos -> ACME WMS');
  await wizard.field('Connection Name').press('Enter');
  await wizard.waitForStep('Merchant Information');
  noteErrors('Connection Name on Basic Information');

  await wizard.pickMerchant(MERCHANTS.brandX);
  await wizard.pickWarehouse();
  await wizard.fillKhaos({ ...KHAOS_STORE, name: 'Brand X Khaos' });
  await wizard.field('Site Name').press('Enter');
  const shownId = await wizard.createdConnectionId();
  noteErrors('Site Name on Store Setup');

  assert.deepEqual(
    (await listConnections(sandbox.dbPath)).map(({ id }) => id),
    [shownId],
  );
  for (const [where, errors] of Object.entries(errorsAfterEnter)) {
    assert.deepEqual(errors, [], `Enter in ${where} threw an uncaught error`);
  }
});
