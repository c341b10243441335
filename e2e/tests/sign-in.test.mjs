/**
 * Signing in, and signing in again when the session ends mid-wizard.
 */

import assert from 'node:assert/strict';
import { DEMO_USER } from '../support/wizard-page.mjs';
import { KHAOS_STORE, MERCHANTS, WAREHOUSES, listConnections } from '../support/sandbox-data.mjs';
import { wizardSuite } from '../support/suite.mjs';

const wizardTest = wizardSuite();

wizardTest('wrong password is reported', async ({ wizard, page }) => {
  const answered = page.waitForResponse(
    (response) => new URL(response.url()).pathname === '/api/auth/token',
  );
  await wizard.submitSignIn(DEMO_USER.username, 'not-the-password');

  // Chromium holds back a 401 that carries a Basic challenge while it waits
  // for credentials from its own sign-in prompt, so the page never gets it.
  const response = await answered.catch((error) => {
    throw new Error(
      'No answer to POST /api/auth/token reached the page. The browser may be waiting ' +
        `for Basic credentials for the 401's WWW-Authenticate challenge. ${error.message}`,
    );
  });
  assert.equal(response.status(), 401);
  await wizard.alert().waitFor();
  assert.equal(
    await wizard.alert().innerText(),
    'The username or password is incorrect. Check them and try again.',
  );
  await wizard.waitForStep('Sign in');
  assert.equal(await wizard.field('Username').inputValue(), DEMO_USER.username);
  assert.equal(await wizard.button('Sign in').isEnabled(), true, 'the user can try again');

  await wizard.signIn(DEMO_USER);
  await wizard.waitForStep('Basic Information');
});

wizardTest('expired session keeps every value', async ({ sandbox, recorded, wizard, page }) => {
  const connectionName = 'Northwind - Khaos -> Harbor 3PL';
  await wizard.signIn();
  await wizard.reachStoreSetup({
    connectionName,
    merchant: MERCHANTS.northwind,
    warehouse: WAREHOUSES.harborNewark,
  });
  await wizard.fillKhaos(KHAOS_STORE);
  await sandbox.expireTokens();

  await wizard.addConnection();
  await wizard.waitForStep('Sign in');
  const note =
    'Your session has ended. Sign in again to carry on where you were; ' +
    'everything you typed is kept.';
  await page.getByText(note, { exact: true }).waitFor();
  assert.deepEqual(
    recorded.responsesFrom('POST', '/connections').map((response) => response.status),
    [401],
  );
  assert.deepEqual(await listConnections(sandbox.dbPath), []);

  await wizard.signIn();
  await wizard.waitForStep('Store Setup');
  assert.deepEqual(await wizard.readKhaos(), { ...KHAOS_STORE, platform: 'Khaos Control' });
  assert.equal(await wizard.alert().count(), 0, 'the session error is gone after signing in');

  await wizard.addConnection();
  const shownId = await wizard.createdConnectionId();
  const connections = await listConnections(sandbox.dbPath);
  assert.deepEqual(
    connections.map(({ id, name }) => ({ id, name })),
    [{ id: shownId, name: connectionName }],
  );
  const posts = recorded.apiRequests('POST', '/connections');
  assert.equal(posts.length, 2);
  assert.equal(posts[1].postData, posts[0].postData, 'the request after sign-in has the same body');
  const [, secondToken] = await Promise.all(
    recorded.responsesFrom('POST', '/auth/token').map(async (response) =>
      JSON.parse(await response.body).access_token,
    ),
  );
  assert.equal(posts[1].headers.authorization, `Bearer ${secondToken}`);
});
