/**
 * Where passwords and tokens must never end up: browser storage, cookies,
 * the address bar, request URLs, the console, the store list, and the
 * sandbox's log.
 */

import assert from 'node:assert/strict';
import { DEMO_USER } from '../support/wizard-page.mjs';
import { EXISTING_STORE, KHAOS_STORE, MERCHANTS } from '../support/sandbox-data.mjs';
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
