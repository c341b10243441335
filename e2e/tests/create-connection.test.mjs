/**
 * Creating a connection with a new Khaos Control store, checked on the page,
 * in the request the browser sent, and in the sandbox's SQLite file.
 */

import assert from 'node:assert/strict';
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

wizardTest('new Khaos store creates disabled connection', async (session) => {
  const { sandbox, recorded, wizard, page } = session;
  const northwindId = await merchantId(sandbox.dbPath, MERCHANTS.northwind);
  const harborId = await warehouseId(sandbox.dbPath, northwindId, WAREHOUSES.harborNewark);
  const storesBefore = await listStores(sandbox.dbPath);

  await wizard.signIn();
  await wizard.fillBasic('  Northwind - Khaos -> Harbor 3PL ');
  await wizard.pickMerchant(MERCHANTS.northwind);
  await wizard.pickWarehouse(WAREHOUSES.harborNewark);
  await wizard.fillKhaos(KHAOS_STORE);
  await wizard.addConnection();
  const shownId = await wizard.createdConnectionId();

  const confirmation = await page.getByRole('status').innerText();
  assert.match(
    confirmation,
    /The connection Northwind - Khaos -> Harbor 3PL was created with ID \d+\./,
  );
  assert.match(confirmation, /disabled until you enable it in the Connections list/);

  const expectedAdapter = {
    url: 'https://api.khaoscloud.com/northwind/KhaosIDS.exe',
    password: 'Kh4os-user-pass ',
    order_import_status: 12,
    substage_id: 4,
    site_name: 'Main Site',
  };

  const connections = await listConnections(sandbox.dbPath);
  assert.equal(connections.length, 1, 'exactly one connection was created');
  const [connection] = connections;
  assert.equal(connection.id, shownId, 'the page shows the id that was stored');
  assert.equal(connection.name, 'Northwind - Khaos -> Harbor 3PL');
  assert.equal(connection.customer_id, northwindId);
  assert.equal(connection.warehouse_id, harborId);
  assert.equal(connection.enabled_at, null, 'a new connection starts disabled');

  const stores = await listStores(sandbox.dbPath);
  assert.equal(stores.length, storesBefore.length + 1, 'exactly one store was created');
  const store = stores.find((candidate) => candidate.id === connection.store_id);
  assert.ok(store, `the connection's store ${connection.store_id} exists`);
  assert.equal(store.customer_id, northwindId);
  assert.equal(store.name, 'Northwind Khaos');
  assert.equal(store.platform, 'khaos_control');
  assert.deepEqual(store.adapter, expectedAdapter);

  const posts = recorded.apiRequests('POST', '/connections');
  assert.equal(posts.length, 1, 'one POST /api/connections was sent');
  const [post] = posts;
  assert.deepEqual(JSON.parse(post.postData), {
    name: 'Northwind - Khaos -> Harbor 3PL',
    customer_id: northwindId,
    warehouse_id: harborId,
    store: { name: 'Northwind Khaos', platform: 'khaos_control', adapter: expectedAdapter },
  });
  assert.match(post.headers['content-type'], /^application\/json\b/);
  // Visible ASCII of at most 255 characters is what the sandbox accepts. A
  // random key shorter than 16 characters would risk colliding.
  assert.match(post.headers['idempotency-key'] ?? '', /^[\x21-\x7e]{16,255}$/);

  const [tokenResponse] = recorded.responsesFrom('POST', '/auth/token');
  const { access_token: token } = JSON.parse(await tokenResponse.body);
  assert.equal(post.headers.authorization, `Bearer ${token}`);
});

wizardTest('single warehouse shown without picker', async ({ sandbox, recorded, wizard, page }) => {
  const brandXId = await merchantId(sandbox.dbPath, MERCHANTS.brandX);
  const acmeId = await warehouseId(sandbox.dbPath, brandXId, WAREHOUSES.acmeLeeds);

  await wizard.signIn();
  await wizard.fillBasic('Brand X - Khaos -> ACME WMS');
  await wizard.pickMerchant(MERCHANTS.brandX);

  await page.getByText('Orders for Brand X Ltd go to the warehouse ACME WMS - Leeds.').waitFor();
  assert.equal(await wizard.field('Warehouse').count(), 0, 'no Warehouse picker is shown');
  assert.equal(await page.getByRole('combobox').count(), 0, 'no select is shown on this step');

  await wizard.pickWarehouse();
  await wizard.fillKhaos({ ...KHAOS_STORE, name: 'Brand X Khaos' });
  await wizard.addConnection();
  const shownId = await wizard.createdConnectionId();

  const [post] = recorded.apiRequests('POST', '/connections');
  assert.equal(JSON.parse(post.postData).warehouse_id, acmeId, 'the shown warehouse is sent');
  const connections = await listConnections(sandbox.dbPath);
  assert.deepEqual(
    connections.map(({ id, customer_id, warehouse_id }) => ({ id, customer_id, warehouse_id })),
    [{ id: shownId, customer_id: brandXId, warehouse_id: acmeId }],
  );
});
