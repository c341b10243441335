/**
 * Where passwords and tokens must never end up: browser storage, cookies,
 * the address bar, request URLs, the console, the store list, events a host
 * page receives, and the sandbox's log, also after failed requests.
 */

import assert from 'node:assert/strict';
import { executeDb } from '../support/db.mjs';
import { STORE_SETUP_CONTEXT } from '../support/demo-host-page.mjs';
import { DEMO_USER } from '../support/wizard-page.mjs';
import {
  EXISTING_STORE,
  KHAOS_STORE,
  MERCHANTS,
  WAREHOUSES,
  listConnections,
  merchantId,
  warehouseId,
} from '../support/sandbox-data.mjs';
import { wizardSuite } from '../support/suite.mjs';

const wizardTest = wizardSuite();

/** Reads every key and value of localStorage and sessionStorage, as one string. */
function readWebStorage(page) {
  return page.evaluate(() =>
    JSON.stringify(
      [window.localStorage, window.sessionStorage].map((storage) =>
        Object.entries({ ...storage }),
      ),
    ),
  );
}

/** Asserts that `text`, read from `where`, contains none of `secrets`. */
function assertNoSecret(text, where, secrets) {
  for (const [name, secret] of Object.entries(secrets)) {
    assert.ok(!text.includes(secret), `${where} contains the ${name}`);
  }
}

wizardTest('secrets stay out of storage and logs', async ({ sandbox, recorded, wizard, page }) => {
  // A password unlike any other text on the page, so any copy of it is found.
  const khaosPassword = 'Kh4os-Secret-5f1c9e';
  const storeName = 'Brand X Khaos online';

  await wizard.signIn();
  await wizard.reachStoreSetup({
    connectionName: 'Brand X - Khaos -> ACME WMS',
    merchant: MERCHANTS.brandX,
  });
  await wizard.fillKhaos({ ...KHAOS_STORE, name: storeName, password: khaosPassword });
  await wizard.field('User Password').blur();
  await sandbox.setConnectionFault('fail_500');
  await wizard.addConnection();
  await wizard.button('Try again').waitFor();
  const storageAfterFailure = await readWebStorage(page);
  const urlAfterFailure = page.url();
  // Serialised HTML has attributes but no live input values, so a password
  // found here was written into the markup.
  const htmlAfterFailure = await page.content();
  await wizard.button('Try again').click();
  await wizard.createdConnectionId();

  // A fresh load lists the new store, whose adapter now contains the password.
  const storesListed = page.waitForResponse(
    (response) => new URL(response.url()).pathname === '/api/stores' && response.ok(),
  );
  await page.reload();
  await wizard.waitForStep('Sign in');
  await wizard.signIn();
  const storesBody = await (await storesListed).text();

  const tokens = await Promise.all(
    recorded.responsesFrom('POST', '/auth/token').map(async (response) =>
      JSON.parse(await response.body).access_token,
    ),
  );
  assert.equal(tokens.length, 2, 'two sign-ins, two tokens');
  const secrets = {
    'Khaos User Password': khaosPassword,
    'sign-in password': DEMO_USER.password,
    'first token': tokens[0],
    'second token': tokens[1],
  };

  assertNoSecret(storageAfterFailure, 'web storage after the failed request', secrets);
  assertNoSecret(await readWebStorage(page), 'web storage at the end', secrets);
  assertNoSecret(JSON.stringify(await recorded.context.cookies()), 'the cookies', secrets);
  assertNoSecret(urlAfterFailure, 'the page URL after the failed request', secrets);
  assertNoSecret(htmlAfterFailure, 'the page HTML after the failed request', secrets);
  assertNoSecret(await page.content(), 'the page HTML at the end', secrets);
  assertNoSecret(page.url(), 'the page URL at the end', secrets);
  for (const request of recorded.requests) {
    assertNoSecret(request.url, `the URL of ${request.method} ${request.url}`, secrets);
  }
  for (const message of recorded.consoleMessages) {
    assertNoSecret(message.text, `the console message ${JSON.stringify(message.text)}`, secrets);
  }

  const stores = JSON.parse(storesBody);
  assert.ok(
    stores.some((store) => store.name === storeName),
    'GET /api/stores lists the new store',
  );
  for (const store of stores) {
    assert.deepEqual(Object.keys(store).sort(), ['customer_id', 'id', 'name', 'platform']);
  }
  assertNoSecret(storesBody, 'the GET /api/stores body', {
    'Khaos User Password': khaosPassword,
    'seeded store password': EXISTING_STORE.password,
  });

  assertNoSecret(sandbox.log(), 'the sandbox log', secrets);
});

/**
 * Scans everything a run left behind for `secrets`: console messages,
 * uncaught errors, request URLs, web storage, cookies, the page's markup,
 * the bodies of every API response except sign-in's (which carries the
 * token by design), and the sandbox log.
 */
async function assertNoSecretLeftBehind({ sandbox, recorded, page }, secrets) {
  for (const message of recorded.consoleMessages) {
    assertNoSecret(message.text, `the console message ${JSON.stringify(message.text)}`, secrets);
  }
  for (const error of recorded.pageErrors) {
    assertNoSecret(error, `the page error ${error}`, secrets);
  }
  for (const request of recorded.requests) {
    assertNoSecret(request.url, `the URL of ${request.method} ${request.url}`, secrets);
  }
  assertNoSecret(await readWebStorage(page), 'web storage', secrets);
  assertNoSecret(JSON.stringify(await recorded.context.cookies()), 'the cookies', secrets);
  assertNoSecret(await page.content(), 'the page HTML', secrets);
  for (const response of recorded.apiResponses) {
    if (new URL(response.url).pathname === '/api/auth/token') {
      continue;
    }
    const body = (await response.body) ?? '';
    assertNoSecret(body, `the ${response.status} body of ${response.method} ${response.url}`, secrets);
  }
  assertNoSecret(sandbox.log(), 'the sandbox log', secrets);
}

wizardTest('secrets absent after 422 and 500', async (session) => {
  const { sandbox, recorded, wizard, page } = session;
  const khaosPassword = 'Kh4os-Failures-91d3a7';
  const northwindId = await merchantId(sandbox.dbPath, MERCHANTS.northwind);
  const brandXId = await merchantId(sandbox.dbPath, MERCHANTS.brandX);
  const harborId = await warehouseId(sandbox.dbPath, northwindId, WAREHOUSES.harborNewark);

  await wizard.signIn();
  await wizard.reachStoreSetup({
    connectionName: 'Northwind - Khaos -> Harbor 3PL',
    merchant: MERCHANTS.northwind,
    warehouse: WAREHOUSES.harborNewark,
  });
  await wizard.fillKhaos({ ...KHAOS_STORE, password: khaosPassword });

  // Another user moves the warehouse to another merchant, so the sandbox
  // rejects the request with 422 after the page has checked it.
  await executeDb(sandbox.dbPath, 'UPDATE warehouses SET customer_id = ? WHERE id = ?', [
    brandXId,
    harborId,
  ]);
  await wizard.addConnection();
  await wizard.alert().waitFor();
  assert.match(await wizard.alert().innerText(), /DropStream rejected some of the values/);
  await executeDb(sandbox.dbPath, 'UPDATE warehouses SET customer_id = ? WHERE id = ?', [
    northwindId,
    harborId,
  ]);

  await sandbox.setConnectionFault('fail_500');
  await wizard.addConnection();
  await wizard.button('Try again').waitFor();
  await wizard.button('Try again').click();
  await wizard.createdConnectionId();
  assert.deepEqual(
    recorded.responsesFrom('POST', '/connections').map((response) => response.status),
    [422, 500, 201],
  );
  assert.equal((await listConnections(sandbox.dbPath)).length, 1);

  const [token] = await Promise.all(
    recorded.responsesFrom('POST', '/auth/token').map(async (response) =>
      JSON.parse(await response.body).access_token,
    ),
  );
  await assertNoSecretLeftBehind(session, {
    'Khaos User Password': khaosPassword,
    'sign-in password': DEMO_USER.password,
  });
  assertNoSecret(await readWebStorage(page), 'web storage', { token });
  assertNoSecret(sandbox.log(), 'the sandbox log', { token });
});

wizardTest('host events carry no secret after failures', async (session) => {
  const { sandbox, recorded, host } = session;
  const { storeSetup } = host;
  const khaosPassword = 'Kh4os-HostEvents-4e60b2';
  await recorded.recordPageEvents();
  await host.open(sandbox.baseUrl);
  await storeSetup.field('URL').fill('https://api.khaoscloud.com/brand-x');
  await storeSetup.field('User Password').fill(khaosPassword);

  await sandbox.expireTokens();
  await storeSetup.addConnection();
  await host.waitForLoggedEvents('store-setup', 'host:token-refreshed');

  // The context's warehouse is moved to another merchant behind the page's
  // back, so the sandbox returns 422.
  const otherMerchantId = await merchantId(sandbox.dbPath, MERCHANTS.northwind);
  await executeDb(sandbox.dbPath, 'UPDATE warehouses SET customer_id = ? WHERE id = ?', [
    otherMerchantId,
    STORE_SETUP_CONTEXT.warehouseId,
  ]);
  await storeSetup.addConnection();
  await storeSetup.alert().waitFor();
  assert.match(await storeSetup.alert().innerText(), /DropStream rejected some of the values/);
  await executeDb(sandbox.dbPath, 'UPDATE warehouses SET customer_id = ? WHERE id = ?', [
    STORE_SETUP_CONTEXT.merchantId,
    STORE_SETUP_CONTEXT.warehouseId,
  ]);

  await sandbox.setConnectionFault('fail_500');
  await storeSetup.addConnection();
  await storeSetup.button('Try again').waitFor();
  await storeSetup.button('Try again').click();
  await storeSetup.createdConnectionId();
  await host.waitForLoggedEvents('store-setup', 'dropstream:connection-created');
  assert.deepEqual(
    recorded.responsesFrom('POST', '/connections').map((response) => response.status),
    [401, 422, 500, 201],
  );

  const secrets = {
    'Khaos User Password': khaosPassword,
    'sign-in password': DEMO_USER.password,
  };
  const dispatched = await recorded.dispatchedEvents();
  assert.ok(
    dispatched.some((event) => event.type === 'dropstream:authentication-required'),
    'the recorder saw the authentication-required event',
  );
  for (const event of dispatched) {
    assertNoSecret(event.detail, `the ${event.type} detail on ${event.target}`, secrets);
  }
  for (const event of await host.loggedEvents()) {
    assertNoSecret(event.text, `the host's event log line ${event.text}`, secrets);
  }
  await assertNoSecretLeftBehind(session, secrets);
});
