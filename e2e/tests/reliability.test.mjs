/**
 * The standalone page when things go wrong: a reload mid-wizard, lost and
 * slow responses, markup in data from the API, and the page's
 * Content-Security-Policy.
 */

import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
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
import { DEMO_USER } from '../support/wizard-page.mjs';

const wizardTest = wizardSuite();

/** The `sessionStorage` key of the standalone page's draft. */
const DRAFT_KEY = 'dropstream-connect:draft';

/** What the Store Setup step shows after `fillKhaos(KHAOS_STORE)`. */
const SHOWN_STORE = { ...KHAOS_STORE, platform: 'Khaos Control' };

/** The adapter stored for `KHAOS_STORE`, trimmed and typed as the page sends it. */
const STORED_ADAPTER = {
  url: 'https://api.khaoscloud.com/northwind/KhaosIDS.exe',
  password: KHAOS_STORE.password,
  order_import_status: 12,
  substage_id: 4,
  site_name: 'Main Site',
};

/** The delay of the slow-backend test, in milliseconds: well past the 3 s notice. */
const SLOW_SERVER_DELAY_MS = 8000;

/** How often the slow-backend test reads the connections, in milliseconds. */
const POLL_INTERVAL_MS = 200;

/** Signs in and fills every step up to Store Setup with `store`. */
async function fillEverything(wizard, store = KHAOS_STORE) {
  await wizard.signIn();
  await wizard.reachStoreSetup({
    connectionName: 'Northwind - Khaos -> Harbor 3PL',
    merchant: MERCHANTS.northwind,
    warehouse: WAREHOUSES.harborNewark,
  });
  await wizard.fillKhaos(store);
}

/** Reads the whole of `sessionStorage` as one string of keys and values. */
function readSessionStorage(page) {
  return page.evaluate(() => JSON.stringify(Object.entries({ ...window.sessionStorage })));
}

/** Returns the access tokens of every sign-in so far. */
function issuedTokens(recorded) {
  return Promise.all(
    recorded
      .responsesFrom('POST', '/auth/token')
      .map(async (response) => JSON.parse(await response.body).access_token),
  );
}

/** Returns a promise of the next response to `POST /api/connections`. */
function nextConnectionResponse(page) {
  return page.waitForResponse(
    (response) =>
      response.request().method() === 'POST' &&
      new URL(response.url()).pathname === '/api/connections',
  );
}

/** Splits a Content-Security-Policy into its directives, by name. */
function parsePolicy(policy) {
  return Object.fromEntries(
    policy
      .split(';')
      .map((directive) => directive.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...sources]) => [name.toLowerCase(), sources]),
  );
}

wizardTest('reload restores draft without password', async (session) => {
  const { recorded, wizard, page, sandbox } = session;
  recorded.acceptDialogs();
  const khaosPassword = 'Kh4os-Draft-8c2f0d';
  await fillEverything(wizard, { ...KHAOS_STORE, password: khaosPassword });
  const storedBeforeReload = await page.evaluate((key) => sessionStorage.getItem(key), DRAFT_KEY);
  assert.ok(storedBeforeReload, 'the page keeps a draft in sessionStorage');

  await page.reload();
  await wizard.waitForStep('Sign in');
  await wizard.signIn();
  await wizard.waitForStep('Store Setup');

  assert.deepEqual(
    await wizard.readKhaos(),
    { ...SHOWN_STORE, password: '' },
    'every non-secret value is back and the password is empty',
  );
  const notice = page.getByRole('status').filter({ hasText: 'enter these again' });
  assert.match(await notice.innerText(), /Passwords and other secrets are never saved/);
  assert.match(await notice.innerText(), /enter these again: User Password\./);

  const [firstToken, secondToken] = await issuedTokens(recorded);
  const storage = await readSessionStorage(page);
  for (const [name, secret] of Object.entries({
    'Khaos User Password': khaosPassword,
    'sign-in password': DEMO_USER.password,
    'first token': firstToken,
    'second token': secondToken,
  })) {
    assert.ok(!storedBeforeReload.includes(secret), `the draft before the reload has the ${name}`);
    assert.ok(!storage.includes(secret), `sessionStorage after the reload has the ${name}`);
  }

  await wizard.button('Back').click();
  await wizard.waitForStep('Warehouse Setup');
  assert.equal(await wizard.selectedOptionText('Warehouse'), WAREHOUSES.harborNewark);
  await wizard.button('Back').click();
  await wizard.waitForStep('Merchant Information');
  assert.equal(await wizard.selectedOptionText('Merchant'), MERCHANTS.northwind);
  await wizard.button('Back').click();
  await wizard.waitForStep('Basic Information');
  assert.equal(
    await wizard.field('Connection Name').inputValue(),
    'Northwind - Khaos -> Harbor 3PL',
  );
  for (const nextStep of ['Merchant Information', 'Warehouse Setup', 'Store Setup']) {
    await wizard.button('Continue').click();
    await wizard.waitForStep(nextStep);
  }

  await wizard.field('User Password').fill(khaosPassword);
  await notice.waitFor({ state: 'detached' });
  await wizard.addConnection();
  const shownId = await wizard.createdConnectionId();
  assert.equal(
    await page.evaluate((key) => sessionStorage.getItem(key), DRAFT_KEY),
    null,
    'the draft is removed once the connection is created',
  );

  const [connection] = await listConnections(sandbox.dbPath);
  assert.equal(connection.id, shownId);
  const store = (await listStores(sandbox.dbPath)).find(({ id }) => id === connection.store_id);
  assert.deepEqual(store.adapter, { ...STORED_ADAPTER, password: khaosPassword });
});

wizardTest('unsaved input asks before reload', async ({ recorded, wizard, page }) => {
  recorded.acceptDialogs();
  await wizard.signIn();
  await wizard.waitForStep('Basic Information');

  // Nothing typed yet, so nothing would be lost.
  await page.reload();
  await wizard.waitForStep('Sign in');
  assert.deepEqual(recorded.dialogs, [], 'a reload with nothing typed asks nothing');

  await wizard.signIn();
  await wizard.field('Connection Name').pressSequentially('Brand X - Khaos');
  await page.reload();
  await wizard.waitForStep('Sign in');
  assert.deepEqual(
    recorded.dialogs.map((dialog) => dialog.type),
    ['beforeunload'],
    'the reload with unsaved input asked first',
  );
});

wizardTest('lost responses retried with one key', async ({ sandbox, recorded, wizard, page }) => {
  await fillEverything(wizard);
  await sandbox.setConnectionFault('drop_after_commit', { count: 3 });

  let answered = nextConnectionResponse(page);
  await wizard.addConnection();
  assert.equal((await answered).status(), 502);
  for (let retry = 1; retry <= 2; retry += 1) {
    await wizard.button('Try again').waitFor();
    answered = nextConnectionResponse(page);
    await wizard.button('Try again').click();
    assert.equal((await answered).status(), 502, `retry ${retry} lost its response too`);
  }
  await wizard.button('Try again').waitFor();
  assert.match(await wizard.alert().innerText(), /may or may not have been created/);
  assert.deepEqual(await wizard.readKhaos(), SHOWN_STORE, 'every Store Setup value is kept');
  answered = nextConnectionResponse(page);
  await wizard.button('Try again').click();
  const last = await answered;
  assert.equal(last.status(), 201);
  assert.equal(last.headers()['idempotent-replayed'], 'true');
  const shownId = await wizard.createdConnectionId();

  const posts = recorded.apiRequests('POST', '/connections');
  assert.equal(posts.length, 4, 'the first request and three retries');
  const keys = posts.map((post) => post.headers['idempotency-key']);
  assert.ok(keys[0], 'the first request has an Idempotency-Key');
  assert.deepEqual(keys, [keys[0], keys[0], keys[0], keys[0]], 'every retry reuses the key');
  for (const post of posts) {
    assert.equal(post.postData, posts[0].postData, 'every retry sends the same body');
  }
  const connections = await listConnections(sandbox.dbPath);
  assert.deepEqual(
    connections.map(({ id }) => id),
    [shownId],
    'exactly one connection, the one shown',
  );
});

wizardTest('edited form gets new key', async ({ sandbox, recorded, wizard }) => {
  await fillEverything(wizard);
  await sandbox.setConnectionFault('fail_500');
  await wizard.addConnection();
  await wizard.button('Try again').waitFor();

  await wizard.field('Site Name').fill('Second Site');
  await wizard.addConnection();
  const shownId = await wizard.createdConnectionId();

  const posts = recorded.apiRequests('POST', '/connections');
  assert.equal(posts.length, 2);
  const [failedKey, editedKey] = posts.map((post) => post.headers['idempotency-key']);
  assert.ok(failedKey, 'the failed request has an Idempotency-Key');
  assert.ok(editedKey, 'the request after the edit has an Idempotency-Key');
  assert.notEqual(editedKey, failedKey, 'a changed form is a new submission with a new key');
  assert.equal(JSON.parse(posts[1].postData).store.adapter.site_name, 'Second Site');

  const connections = await listConnections(sandbox.dbPath);
  assert.deepEqual(
    connections.map(({ id }) => id),
    [shownId],
  );
  const store = (await listStores(sandbox.dbPath)).find(
    ({ id }) => id === connections[0].store_id,
  );
  assert.equal(store.adapter.site_name, 'Second Site');
});

wizardTest('edit after lost response creates no duplicate', async ({ sandbox, recorded, wizard, page }) => {
  await fillEverything(wizard);
  await sandbox.setConnectionFault('drop_after_commit');
  const answered = nextConnectionResponse(page);
  await wizard.addConnection();
  assert.equal((await answered).status(), 502);
  await wizard.button('Try again').waitFor();
  const [created] = await listConnections(sandbox.dbPath);
  assert.ok(created, 'the lost request committed its connection');

  await wizard.field('Site Name').fill('Second Site');
  await wizard.addConnection();
  await page.getByText(`Your earlier attempt created connection ${created.id}`).waitFor();

  assert.equal(
    recorded.apiRequests('POST', '/connections').length,
    1,
    'the edited form was not sent, because it would have made a duplicate',
  );
  assert.deepEqual(
    (await listConnections(sandbox.dbPath)).map(({ id }) => id),
    [created.id],
    'still exactly one connection',
  );
  assert.equal(await wizard.field('Site Name').inputValue(), 'Second Site', 'the edit is kept');
});

wizardTest('stop waiting keeps values, retry is safe', async (session) => {
  const { sandbox, recorded, wizard, page } = session;
  await fillEverything(wizard);
  await sandbox.setConnectionFault('delay', { delayMs: SLOW_SERVER_DELAY_MS });
  const stillWaiting = page
    .getByRole('status')
    .filter({ hasText: 'Still waiting for DropStream' });

  const sentAt = Date.now();
  await wizard.addConnection();
  await wizard.button('Adding connection…').waitFor();
  assert.equal(await stillWaiting.isVisible(), false, 'no waiting notice at first');
  await stillWaiting.waitFor();
  const noticeAfterMs = Date.now() - sentAt;
  assert.ok(noticeAfterMs >= 2900, `the notice came after ${noticeAfterMs} ms, not about 3 s`);
  assert.ok(
    noticeAfterMs < SLOW_SERVER_DELAY_MS,
    `the notice came after ${noticeAfterMs} ms, not before the answer`,
  );
  assert.match(await stillWaiting.innerText(), /nothing you typed is lost/);

  await wizard.button('Stop waiting').click();
  await wizard.button('Try again').waitFor();
  const message = await wizard.alert().innerText();
  assert.match(message, /The connection may or may not have been created\./);
  assert.match(message, /cannot create a second connection/);
  assert.equal(await stillWaiting.isVisible(), false, 'the waiting notice is gone');
  assert.deepEqual(await wizard.readKhaos(), SHOWN_STORE, 'every Store Setup value is kept');
  assert.equal(await wizard.button('Add connection').isEnabled(), true);

  await sandbox.clearConnectionFault();
  await wizard.button('Try again').click();
  const shownId = await wizard.createdConnectionId();
  const posts = recorded.apiRequests('POST', '/connections');
  assert.equal(posts.length, 2);
  assert.equal(
    posts[1].headers['idempotency-key'],
    posts[0].headers['idempotency-key'],
    'the retry reuses the key of the request it stopped waiting for',
  );

  // The first request may still be sleeping in the sandbox and commit once
  // its delay is over, and its key must then make it a replay. The sandbox
  // drops a request whose client went away and logs nothing for it, so the
  // count is watched until the delay has surely passed.
  const deadline = sentAt + SLOW_SERVER_DELAY_MS + 1500;
  const counts = new Set();
  while (Date.now() < deadline) {
    counts.add((await listConnections(sandbox.dbPath)).length);
    await delay(POLL_INTERVAL_MS);
  }
  assert.deepEqual([...counts], [1], 'one connection throughout');
  const connections = await listConnections(sandbox.dbPath);
  assert.deepEqual(
    connections.map(({ id }) => id),
    [shownId],
  );
});

wizardTest('markup from the API stays text', async ({ sandbox, recorded, wizard, page }) => {
  const markup = '<img src=x onerror="window.__xss=1">Shop';
  const brandXId = await merchantId(sandbox.dbPath, MERCHANTS.brandX);
  const acmeId = await warehouseId(sandbox.dbPath, brandXId, WAREHOUSES.acmeLeeds);
  const token = await sandbox.requestToken(DEMO_USER);
  await sandbox.createConnection(token, {
    name: 'Markup store connection',
    customer_id: brandXId,
    warehouse_id: acmeId,
    store: {
      name: markup,
      platform: 'khaos_control',
      adapter: {
        url: 'https://api.khaoscloud.com/markup',
        password: 'markup-store-password',
        order_import_status: 9,
      },
    },
  });

  // The page loads its lists after signing in, so they include the new store.
  await wizard.signIn();
  await wizard.reachStoreSetup({
    connectionName: '<b onmouseover="window.__xss=2">Brand X</b> - Khaos',
    merchant: MERCHANTS.brandX,
  });
  const markupStore = (await listStores(sandbox.dbPath)).find(({ name }) => name === markup);
  const optionText = `${markup} (Khaos Control, ID ${markupStore.id})`;
  await wizard.chooseExistingStore(optionText);
  assert.equal(await wizard.selectedOptionText('Store'), optionText);

  // A connection name is shown back on the confirmation.
  await wizard.fillKhaos({ ...KHAOS_STORE, name: 'Brand X Khaos' });
  await wizard.addConnection();
  await wizard.createdConnectionId();
  assert.match(
    await page.getByRole('status').innerText(),
    /The connection <b onmouseover="window\.__xss=2">Brand X<\/b> - Khaos was created/,
  );

  assert.equal(await page.evaluate(() => window.__xss), undefined, 'no markup ran');
  assert.equal(await page.locator('.ds-wizard img').count(), 0, 'no <img> in the wizard');
  assert.equal(await page.locator('.ds-wizard b').count(), 0, 'no <b> in the wizard');
  assert.deepEqual(recorded.pageErrors, []);
});

wizardTest('strict CSP blocks nothing', async ({ recorded, wizard, page, sandbox }) => {
  await recorded.recordPageEvents();
  const response = await page.goto(sandbox.baseUrl);
  await wizard.waitForStep('Sign in');

  const policy = response.headers()['content-security-policy'];
  assert.ok(policy, 'GET / has a Content-Security-Policy header');
  const directives = parsePolicy(policy);
  const scriptSources = directives['script-src'] ?? directives['default-src'];
  assert.ok(scriptSources, `the policy limits scripts: ${policy}`);
  assert.ok(!scriptSources.includes("'unsafe-inline'"), "script-src has no 'unsafe-inline'");
  assert.ok(!scriptSources.includes("'unsafe-eval'"), "script-src has no 'unsafe-eval'");
  assert.ok(!scriptSources.includes('*'), 'script-src has no wildcard');
  assert.ok(scriptSources.includes("'wasm-unsafe-eval'"), "script-src has 'wasm-unsafe-eval'");
  assert.deepEqual(directives['connect-src'], ["'self'"], "connect-src is 'self' only");
  if (directives['style-src']) {
    assert.ok(!directives['style-src'].includes("'unsafe-inline'"), "style-src has no 'unsafe-inline'");
  }

  await wizard.signIn();
  await wizard.reachStoreSetup({
    connectionName: 'Northwind - Khaos -> Harbor 3PL',
    merchant: MERCHANTS.northwind,
    warehouse: WAREHOUSES.harborNewark,
  });
  await wizard.fillKhaos(KHAOS_STORE);
  await wizard.button('Show').click();
  await wizard.addConnection();
  await wizard.createdConnectionId();

  assert.deepEqual(await recorded.cspViolations(), [], 'no securitypolicyviolation event');
  const cspMessages = recorded.consoleMessages.filter((message) =>
    /Content Security Policy/i.test(message.text),
  );
  assert.deepEqual(cspMessages, [], 'no console message about the policy');
});
