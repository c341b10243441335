/**
 * The wizard embedded in a host page: the demo host's Store Setup step and
 * side-panel wizard, a plain host page, and the <dropstream-connect>
 * element. Checked are the events a host gets, what the wizard leaves
 * behind when unmounted, and that host and wizard never restyle, navigate
 * or resize each other.
 */

import assert from 'node:assert/strict';
import {
  DEMO_HOST_TITLE,
  STORE_SETUP_CONTEXT,
  STORE_SETUP_PRESET,
} from '../support/demo-host-page.mjs';
import { PLAIN_HOST_PATH, mountInPlainHost, openPlainHost } from '../support/plain-host.mjs';
import {
  EXISTING_STORE,
  KHAOS_STORE,
  MERCHANTS,
  WAREHOUSES,
  listConnections,
  listStores,
} from '../support/sandbox-data.mjs';
import { wizardSuite } from '../support/suite.mjs';
import { DEMO_USER, WizardPage } from '../support/wizard-page.mjs';

const hostTest = wizardSuite({ start: 'demo-host' });

/** The Khaos Control values typed into the demo host's Store Setup step. */
const KHAOS_URL = 'https://api.khaoscloud.com/brand-x';

/** A password unlike any other text on the page, so any copy of it is found. */
const KHAOS_PASSWORD = 'Kh4os-Embedded-3b8e41';

/** The Store Setup mount options of the demo host, for a host page of a test's own. */
const STORE_SETUP_OPTIONS = {
  apiBase: '/api',
  mode: 'store-setup',
  context: STORE_SETUP_CONTEXT,
  initialValues: { storeName: STORE_SETUP_PRESET.storeName, platform: 'khaos_control' },
};

/** Reads every computed style property of the element `locator` points to. */
function computedStyle(locator) {
  return locator.evaluate((element) => {
    const style = getComputedStyle(element);
    return Object.fromEntries([...style].map((name) => [name, style.getPropertyValue(name)]));
  });
}

/** Lists the id attributes that more than one element in the document has. */
function duplicateIds(page) {
  return page.evaluate(() => {
    const seen = new Set();
    const duplicates = new Set();
    for (const element of document.querySelectorAll('[id]')) {
      if (seen.has(element.id)) {
        duplicates.add(element.id);
      }
      seen.add(element.id);
    }
    return [...duplicates];
  });
}

/**
 * Measures the horizontal overflow of the `.ds-wizard` root inside `scope`:
 * its scrollWidth, which counts content that sticks out, and its clientWidth.
 */
function wizardWidths(scope) {
  return scope.locator('.ds-wizard').evaluate((root) => ({
    scrollWidth: root.scrollWidth,
    clientWidth: root.clientWidth,
  }));
}

/** Asserts that the `.ds-wizard` root inside `scope` has no horizontal scroll. */
async function assertNoHorizontalScroll(scope, where) {
  const { scrollWidth, clientWidth } = await wizardWidths(scope);
  assert.ok(
    scrollWidth <= clientWidth,
    `${where}: the wizard is ${scrollWidth} px wide inside ${clientWidth} px`,
  );
}

/** Asserts that no text in `events` or `loggedLines` contains `secret`. */
function assertNoSecretInEvents(events, loggedLines, secret, secretName) {
  for (const event of events) {
    assert.ok(!event.detail.includes(secret), `the ${event.type} detail contains the ${secretName}`);
  }
  for (const line of loggedLines) {
    assert.ok(!line.includes(secret), `the host's event log line ${line} contains the ${secretName}`);
  }
}

hostTest('Store Setup creates connection, reports it', async (session) => {
  const { sandbox, recorded, host } = session;
  const { storeSetup } = host;

  assert.equal(await storeSetup.field('Name').inputValue(), STORE_SETUP_PRESET.storeName);
  assert.equal(await storeSetup.selectedOptionText('Platform'), STORE_SETUP_PRESET.platform);
  assert.equal(
    await storeSetup.scope.getByRole('radio', { name: 'Create new store', exact: true }).isChecked(),
    true,
  );
  await storeSetup.field('URL').fill(KHAOS_URL);
  await storeSetup.field('User Password').fill(KHAOS_PASSWORD);
  await storeSetup.addConnection();
  const shownId = await storeSetup.createdConnectionId();
  const [created] = await host.waitForLoggedEvents('store-setup', 'dropstream:connection-created');

  const connections = await listConnections(sandbox.dbPath);
  assert.equal(connections.length, 1, 'exactly one connection was created');
  const [connection] = connections;
  assert.equal(connection.id, shownId, 'the wizard shows the id that was stored');
  assert.equal(connection.name, STORE_SETUP_CONTEXT.connectionName);
  assert.equal(connection.customer_id, STORE_SETUP_CONTEXT.merchantId);
  assert.equal(connection.warehouse_id, STORE_SETUP_CONTEXT.warehouseId);

  assert.deepEqual(created.detail, {
    id: connection.id,
    name: STORE_SETUP_CONTEXT.connectionName,
    merchantId: STORE_SETUP_CONTEXT.merchantId,
    warehouseId: STORE_SETUP_CONTEXT.warehouseId,
    storeId: null,
    store: {
      name: STORE_SETUP_PRESET.storeName,
      platform: 'khaos_control',
      adapter: { url: KHAOS_URL, order_import_status: 9 },
    },
  });

  // Every dropstream: event the wizard dispatched, also types the host does
  // not listen for, went to the Store Setup panel or the side panel.
  const dispatched = await recorded.dispatchedEvents();
  for (const event of dispatched) {
    assert.ok(
      ['div#store-setup-panel', 'div#wizard-panel'].includes(event.target),
      `${event.type} was dispatched on ${event.target}, not on a mount element`,
    );
  }
  const createdEvents = dispatched.filter(
    (event) => event.type === 'dropstream:connection-created',
  );
  assert.deepEqual(
    createdEvents.map((event) => event.target),
    ['div#store-setup-panel'],
    'one connection-created event, on the Store Setup panel',
  );
  const loggedLines = (await host.loggedEvents()).map((event) => event.text);
  assertNoSecretInEvents(dispatched, loggedLines, KHAOS_PASSWORD, 'Khaos User Password');

  const posts = recorded.apiRequests('POST', '/connections');
  assert.equal(posts.length, 1, 'one POST /api/connections was sent');
  const embeddedBody = JSON.parse(posts[0].postData);
  assert.deepEqual(embeddedBody, {
    name: STORE_SETUP_CONTEXT.connectionName,
    customer_id: STORE_SETUP_CONTEXT.merchantId,
    warehouse_id: STORE_SETUP_CONTEXT.warehouseId,
    store: {
      name: STORE_SETUP_PRESET.storeName,
      platform: 'khaos_control',
      adapter: { url: KHAOS_URL, password: KHAOS_PASSWORD, order_import_status: 9 },
    },
  });

  // The whole wizard on the standalone page, given the same values, must
  // send the same bytes.
  const standalonePage = await recorded.newPage();
  const standalone = new WizardPage(standalonePage);
  await standalone.open(sandbox.baseUrl);
  await standalone.signIn();
  await standalone.reachStoreSetup({
    connectionName: STORE_SETUP_CONTEXT.connectionName,
    merchant: MERCHANTS.brandX,
  });
  await standalone.chooseNewStore();
  await standalone.field('Name').fill(STORE_SETUP_PRESET.storeName);
  await standalone.field('Platform').selectOption({ label: STORE_SETUP_PRESET.platform });
  await standalone.field('URL').fill(KHAOS_URL);
  await standalone.field('User Password').fill(KHAOS_PASSWORD);
  const standaloneRequest = standalonePage.waitForRequest(
    (request) =>
      request.method() === 'POST' && new URL(request.url()).pathname === '/api/connections',
  );
  await standalone.addConnection();
  await standalone.createdConnectionId();
  assert.equal(
    posts[0].postData,
    (await standaloneRequest).postData(),
    'Store Setup mode sends the same body as the whole wizard',
  );

  assert.deepEqual(await recorded.cspViolations(), [], 'the host page CSP blocked nothing');
});

hostTest('two wizards keep separate values', async ({ host, page }) => {
  const { storeSetup, sideWizard } = host;

  await sideWizard.field('Connection Name').fill('Side panel - Khaos -> Harbor 3PL');
  await storeSetup.field('URL').fill('https://api.khaoscloud.com/main-panel');
  assert.equal(
    await sideWizard.field('Connection Name').inputValue(),
    'Side panel - Khaos -> Harbor 3PL',
  );
  assert.equal(
    await storeSetup.field('URL').inputValue(),
    'https://api.khaoscloud.com/main-panel',
  );
  assert.equal(await storeSetup.field('Connection Name').count(), 0, 'Store Setup has no name');

  // With both wizards on Store Setup, every label exists twice on the page.
  await sideWizard.button('Continue').click();
  await sideWizard.waitForStep('Merchant Information');
  await sideWizard.pickMerchant(MERCHANTS.northwind);
  await sideWizard.pickWarehouse(WAREHOUSES.harborNewark);
  await sideWizard.fillKhaos({ ...KHAOS_STORE, password: 'side-panel-password' });
  await storeSetup.field('User Password').fill('main-panel-password');
  await storeSetup.field('Site Name').fill('Leeds Site');

  assert.deepEqual(await sideWizard.readKhaos(), {
    ...KHAOS_STORE,
    password: 'side-panel-password',
    platform: 'Khaos Control',
  });
  assert.deepEqual(await storeSetup.readKhaos(), {
    name: STORE_SETUP_PRESET.storeName,
    platform: STORE_SETUP_PRESET.platform,
    url: 'https://api.khaoscloud.com/main-panel',
    password: 'main-panel-password',
    orderImportStatus: 'RELEASED (9)',
    substageId: '',
    siteName: 'Leeds Site',
  });

  // Radio buttons of one name form one group across the document, so a
  // shared name would uncheck the other wizard's choice.
  await storeSetup.chooseExistingStore(EXISTING_STORE.optionText);
  assert.equal(
    await sideWizard.scope.getByRole('radio', { name: 'Create new store', exact: true }).isChecked(),
    true,
    "the side wizard's store choice is unchanged",
  );
  assert.equal(await sideWizard.field('URL').inputValue(), KHAOS_STORE.url);

  assert.deepEqual(await duplicateIds(page), [], 'no id is used twice in the document');
  const labelsOutsideTheirWizard = await page.evaluate(() =>
    [...document.querySelectorAll('.ds-wizard label[for]')]
      .filter((label) => {
        const control = document.getElementById(label.htmlFor);
        return !control || control.closest('.ds-wizard') !== label.closest('.ds-wizard');
      })
      .map((label) => label.htmlFor),
  );
  assert.deepEqual(labelsOutsideTheirWizard, [], "every label names a control of its own wizard");
});

hostTest('expired token resumes after setToken', async (session) => {
  const { sandbox, recorded, host } = session;
  const { storeSetup } = host;
  const typed = {
    name: 'Brand X Khaos online',
    platform: STORE_SETUP_PRESET.platform,
    url: KHAOS_URL,
    password: KHAOS_PASSWORD,
    orderImportStatus: 'PICKING (12)',
    substageId: '4',
    siteName: 'Main Site',
  };
  await storeSetup.field('Name').fill(typed.name);
  await storeSetup.field('URL').fill(typed.url);
  await storeSetup.field('User Password').fill(typed.password);
  await storeSetup.field('Order Import Status').selectOption({ label: typed.orderImportStatus });
  await storeSetup.field('Substage ID').fill(typed.substageId);
  await storeSetup.field('Site Name').fill(typed.siteName);
  await sandbox.expireTokens();

  await storeSetup.addConnection();
  const [required] = await host.waitForLoggedEvents(
    'store-setup',
    'dropstream:authentication-required',
  );
  assert.deepEqual(required.detail, { step: 'store-setup' });
  await host.waitForLoggedEvents('store-setup', 'host:token-refreshed');
  const order = (await host.loggedEvents())
    .filter((event) => event.panel === 'store-setup')
    .map((event) => event.type)
    .filter((type) => type !== 'dropstream:step-changed');
  assert.deepEqual(order, ['dropstream:authentication-required', 'host:token-refreshed']);

  assert.deepEqual(
    recorded.responsesFrom('POST', '/connections').map((response) => response.status),
    [401],
  );
  assert.deepEqual(await listConnections(sandbox.dbPath), []);
  await storeSetup.waitForStep('Store Setup');
  assert.deepEqual(await storeSetup.readKhaos(), typed, 'every typed value is kept');
  await storeSetup.alert().waitFor({ state: 'detached' });

  await storeSetup.addConnection();
  const shownId = await storeSetup.createdConnectionId();
  const connections = await listConnections(sandbox.dbPath);
  assert.deepEqual(
    connections.map(({ id, name }) => ({ id, name })),
    [{ id: shownId, name: STORE_SETUP_CONTEXT.connectionName }],
  );
  const posts = recorded.apiRequests('POST', '/connections');
  assert.equal(posts.length, 2);
  assert.equal(posts[1].postData, posts[0].postData, 'the request after setToken has the same body');
  assert.notEqual(
    posts[1].headers.authorization,
    posts[0].headers.authorization,
    'the request after setToken carries the new token',
  );
  const createdEvents = await host.waitForLoggedEvents(
    'store-setup',
    'dropstream:connection-created',
  );
  assert.equal(createdEvents.length, 1);
});

hostTest('unmount removes nodes, listeners, stylesheet', async (session) => {
  const { recorded, host, page } = session;
  const panelChildCount = () =>
    host.storeSetupPanel.evaluate((panel) => panel.childNodes.length);
  const wizardSheets = async () =>
    (await host.adoptedStyleSheets()).filter((css) => css.includes('.ds-wizard'));

  await host.hostButton('Unmount Store Setup').click();
  assert.equal(await panelChildCount(), 0, 'the Store Setup panel is empty');
  const beforeMount = await recorded.countEventListeners();
  assert.equal((await wizardSheets()).length, 1, 'the side wizard still uses the stylesheet');

  await host.hostButton('Mount Store Setup again').click();
  await host.storeSetup.waitForStep('Store Setup');
  // Typing, a failed check, the Show button and Enter run the wizard's own
  // listeners, so any listener it adds lazily is added before the count.
  await host.storeSetup.field('URL').fill(KHAOS_URL);
  await host.storeSetup.field('URL').press('Enter');
  await host.storeSetup.waitForMessage('User Password', 'Enter the User Password.');
  await host.storeSetup.button('Show').click();
  await host.storeSetup.field('User Password').fill(KHAOS_PASSWORD);
  const whileMounted = await recorded.countEventListeners();
  assert.ok(
    whileMounted.document > beforeMount.document,
    'the listener count sees the mounted wizard',
  );
  assert.equal(whileMounted.window, beforeMount.window, 'the wizard adds no window listener');
  assert.equal((await wizardSheets()).length, 1, 'two wizards share one adopted stylesheet');

  await host.hostButton('Unmount Store Setup').click();
  assert.equal(await panelChildCount(), 0, 'unmount leaves no node in the panel');
  assert.deepEqual(
    await recorded.countEventListeners(),
    beforeMount,
    'unmount leaves as many listeners as there were before mount',
  );
  assert.equal((await wizardSheets()).length, 1, 'the side wizard keeps the stylesheet');

  await host.unmount('wizard');
  assert.equal(await host.wizardPanel.evaluate((panel) => panel.childNodes.length), 0);
  assert.deepEqual(await wizardSheets(), [], 'the last unmount removes the stylesheet');
  assert.equal(await page.locator('.ds-wizard').count(), 0);

  await host.hostButton('Mount Store Setup again').click();
  await host.storeSetup.waitForStep('Store Setup');
  assert.equal((await wizardSheets()).length, 1, 'mounting again adopts the stylesheet again');
  await host.storeSetup.field('URL').fill(KHAOS_URL);
  await host.storeSetup.field('User Password').fill(KHAOS_PASSWORD);
  await host.storeSetup.addConnection();
  await host.storeSetup.createdConnectionId();
});

hostTest('Enter in a wizard never navigates host', async ({ recorded, host, page }) => {
  const { storeSetup, sideWizard } = host;
  const hostState = () =>
    page.evaluate(() => ({
      url: location.href,
      title: document.title,
      bodyClass: document.body.className,
      bodyAttributes: [...document.body.attributes].map(({ name, value }) => `${name}=${value}`),
      htmlAttributes: [...document.documentElement.attributes].map(
        ({ name, value }) => `${name}=${value}`,
      ),
    }));
  const before = await hostState();
  assert.equal(before.title, DEMO_HOST_TITLE);
  const navigations = [];
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) {
      navigations.push(frame.url());
    }
  });

  for (const label of ['Name', 'URL', 'User Password', 'Substage ID', 'Site Name']) {
    await storeSetup.field(label).press('Enter');
  }
  // The wizard handled each Enter as its own submit: it checked the fields.
  await storeSetup.waitForMessage('URL', 'Enter the URL.');

  await sideWizard.field('Connection Name').press('Enter');
  await sideWizard.waitForMessage('Connection Name', 'Enter a connection name.');
  await sideWizard.field('Connection Name').fill('Northwind - Khaos -> Harbor 3PL');
  await sideWizard.field('Connection Name').press('Enter');
  await sideWizard.waitForStep('Merchant Information');

  assert.deepEqual(await hostState(), before, 'URL, title, body and html are unchanged');
  assert.equal(page.url(), before.url);
  assert.deepEqual(navigations, [], 'the host page never navigated');
  assert.deepEqual(
    recorded.requests.filter((request) =>
      new URL(request.url).pathname.startsWith('/should-never-be-submitted'),
    ),
    [],
    "the host's form was never submitted",
  );
  assert.equal(recorded.apiRequests('POST', '/connections').length, 0);
  const hostSearches = (await host.loggedEvents()).filter((event) => event.panel === 'host');
  assert.deepEqual(hostSearches, [], "the host's own search form saw no submit");
  assert.deepEqual(
    recorded.pageErrors,
    [],
    'Enter that moves the wizard to its next step throws no uncaught error',
  );
});

hostTest('host styles unchanged by wizard', async ({ host, page }) => {
  const hostElements = {
    'search input': page.locator('#host-search'),
    'search label': page.locator('label[for="host-search"]'),
    'search button': page.locator('#host-form').getByRole('button', { name: 'Search' }),
    'page heading': page.locator('#host-title'),
    body: page.locator('body'),
  };
  // These computed values of the body come from its laid-out height (the
  // origins are its centre), which the wizard's content changes without any
  // style rule reaching the body.
  const layoutResolved = ['height', 'block-size', 'perspective-origin', 'transform-origin'];
  const readAll = async () => {
    const styles = {};
    for (const [name, locator] of Object.entries(hostElements)) {
      const style = await computedStyle(locator);
      if (name === 'body') {
        for (const property of layoutResolved) {
          delete style[property];
        }
      }
      styles[name] = style;
    }
    return styles;
  };

  const mounted = await readAll();
  await host.unmount('store-setup');
  await host.unmount('wizard');
  const unmounted = await readAll();
  for (const name of Object.keys(hostElements)) {
    assert.deepEqual(mounted[name], unmounted[name], `the ${name} looks the same without the wizard`);
  }
  // The hostile rules really reach these host elements, so the comparison
  // would see a wizard rule that reached them too.
  assert.equal(unmounted['search input']['text-transform'], 'uppercase');
  assert.equal(unmounted['search input']['font-size'], '28px');
});

hostTest('wizard controls unaffected by host CSS', async ({ sandbox, recorded, host }) => {
  const properties = [
    'font-family',
    'font-size',
    'font-weight',
    'line-height',
    'letter-spacing',
    'text-transform',
    'height',
    'box-sizing',
    'border-top-width',
    'border-top-style',
    'border-top-color',
    'border-bottom-width',
    'border-bottom-style',
    'border-left-style',
    'padding-top',
    'padding-left',
    'margin-top',
    'margin-left',
    'background-color',
    'color',
    'display',
    'visibility',
  ];
  const controls = (wizard) => ({
    'URL input': wizard.field('URL'),
    'Add connection button': wizard.button('Add connection'),
    'Platform select': wizard.field('Platform'),
    'URL label': wizard.scope.locator('label').filter({ hasText: /^URL$/ }),
    'User Password label': wizard.scope.locator('label').filter({ hasText: /^User Password$/ }),
  });
  const readStyles = async (wizard) => {
    const styles = {};
    for (const [name, locator] of Object.entries(controls(wizard))) {
      const style = await computedStyle(locator);
      styles[name] = Object.fromEntries(properties.map((property) => [property, style[property]]));
    }
    return styles;
  };

  const onHostileHost = await readStyles(host.storeSetup);
  for (const label of ['URL', 'User Password', 'Name', 'Platform']) {
    assert.equal(
      await host.storeSetup.scope.locator('label').filter({ hasText: label }).first().isVisible(),
      true,
      `the ${label} label is visible on the hostile host`,
    );
  }

  const plainPage = await recorded.newPage();
  await openPlainHost(plainPage, sandbox.baseUrl);
  await mountInPlainHost(plainPage, {
    ...STORE_SETUP_OPTIONS,
    token: await sandbox.requestToken(DEMO_USER),
  });
  const plainWizard = new WizardPage(plainPage, plainPage.locator('#mount-point'));
  await plainWizard.waitForStep('Store Setup');
  const onPlainHost = await readStyles(plainWizard);

  for (const name of Object.keys(onPlainHost)) {
    assert.deepEqual(onHostileHost[name], onPlainHost[name], `the ${name} looks the same`);
  }
  assert.notEqual(onHostileHost['URL label'].display, 'none');
  assert.equal(onHostileHost['URL input']['text-transform'], 'none');
});

hostTest('narrow widths never scroll sideways', async ({ sandbox, recorded, host, page }) => {
  const { sideWizard } = host;
  const sidePanelWidth = await host.wizardPanel.evaluate(
    (panel) => panel.getBoundingClientRect().width,
  );
  assert.ok(sidePanelWidth <= 320, `the side panel is ${sidePanelWidth} px wide`);

  // Every step of the side wizard, with its longest content: the Khaos
  // fields with help lines and the messages of a failed check.
  await assertNoHorizontalScroll(host.wizardPanel, 'Basic Information');
  await sideWizard.button('Continue').click();
  await sideWizard.waitForMessage('Connection Name', 'Enter a connection name.');
  await assertNoHorizontalScroll(host.wizardPanel, 'Basic Information with its message');
  await sideWizard.fillBasic('Northwind Goods Inc - Khaos Control -> Harbor 3PL - Newark');
  await assertNoHorizontalScroll(host.wizardPanel, 'Merchant Information');
  await sideWizard.pickMerchant(MERCHANTS.northwind);
  await assertNoHorizontalScroll(host.wizardPanel, 'Warehouse Setup');
  await sideWizard.pickWarehouse(WAREHOUSES.harborNewark);
  await sideWizard.fillKhaos({ ...KHAOS_STORE, url: 'api.khaoscloud.com/no-scheme' });
  await sideWizard.field('User Password').fill('');
  await sideWizard.addConnection();
  await sideWizard.waitForMessage('User Password', 'Enter the User Password.');
  await assertNoHorizontalScroll(host.wizardPanel, 'Store Setup with messages');

  // The demo host itself is wider than 320 px (its side panel alone is), so
  // the page's own width is checked on the plain host below.
  await page.setViewportSize({ width: 320, height: 800 });
  await assertNoHorizontalScroll(host.storeSetupPanel, 'Store Setup on the host at 320 px');

  const plainPage = await recorded.newPage();
  await plainPage.setViewportSize({ width: 320, height: 800 });
  await openPlainHost(plainPage, sandbox.baseUrl);
  await mountInPlainHost(plainPage, {
    ...STORE_SETUP_OPTIONS,
    token: await sandbox.requestToken(DEMO_USER),
  });
  const plainWizard = new WizardPage(plainPage, plainPage.locator('#mount-point'));
  await plainWizard.waitForStep('Store Setup');
  await plainWizard.addConnection();
  await plainWizard.waitForMessage('URL', 'Enter the URL.');
  const page320 = await plainPage.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  assert.equal(page320.clientWidth, 320);
  assert.ok(
    page320.scrollWidth <= page320.clientWidth,
    `the 320 px page is ${page320.scrollWidth} px wide`,
  );
  await assertNoHorizontalScroll(plainPage.locator('#mount-point'), 'Store Setup at 320 px');
});

hostTest('custom element creates connection', async ({ sandbox, page }) => {
  const token = await sandbox.requestToken(DEMO_USER);
  await openPlainHost(page, sandbox.baseUrl);

  // The element is added and given its token in one task, as
  // docs/embedding.md requires, so it starts on Store Setup without a
  // sign-in form.
  await page.evaluate(
    async ({ context, bearer }) => {
      await import('/dropstream-embed.js');
      const element = document.createElement('dropstream-connect');
      element.id = 'connect';
      element.setAttribute('api-base', '/api');
      element.setAttribute('mode', 'store-setup');
      element.setAttribute('connection-name', context.connectionName);
      element.setAttribute('merchant-id', String(context.merchantId));
      element.setAttribute('warehouse-id', String(context.warehouseId));
      document.getElementById('mount-point').append(element);
      element.setToken(bearer);
      window.createdEvent = new Promise((resolve) => {
        element.addEventListener('dropstream:connection-created', (event) =>
          resolve({ target: event.target.id, detail: event.detail }),
        );
      });
    },
    { context: STORE_SETUP_CONTEXT, bearer: token },
  );
  const element = page.locator('dropstream-connect');
  const wizard = new WizardPage(page, element);
  await wizard.waitForStep('Store Setup');
  assert.equal(await wizard.heading('Sign in').count(), 0, 'no sign-in form was needed');
  assert.equal(await element.getAttribute('token'), null, 'the token is not an attribute');
  assert.ok(!(await page.content()).includes(token), 'the token is not in the markup');

  const storesBefore = await listStores(sandbox.dbPath);
  await wizard.fillKhaos({ name: 'Brand X Khaos element', url: KHAOS_URL, password: KHAOS_PASSWORD });
  await wizard.addConnection();
  const shownId = await wizard.createdConnectionId();
  const created = await page.evaluate(() => window.createdEvent);

  const connections = await listConnections(sandbox.dbPath);
  assert.equal(connections.length, 1);
  assert.equal(connections[0].id, shownId);
  assert.equal(created.target, 'connect', 'the event is dispatched on the element');
  assert.deepEqual(created.detail, {
    id: shownId,
    name: STORE_SETUP_CONTEXT.connectionName,
    merchantId: STORE_SETUP_CONTEXT.merchantId,
    warehouseId: STORE_SETUP_CONTEXT.warehouseId,
    storeId: null,
    store: {
      name: 'Brand X Khaos element',
      platform: 'khaos_control',
      adapter: { url: KHAOS_URL, order_import_status: 9 },
    },
  });
  assert.equal(connections[0].customer_id, STORE_SETUP_CONTEXT.merchantId);
  assert.equal(connections[0].warehouse_id, STORE_SETUP_CONTEXT.warehouseId);
  assert.equal((await listStores(sandbox.dbPath)).length, storesBefore.length + 1);
  assert.equal(new URL(page.url()).pathname, `/${PLAIN_HOST_PATH}`);
});
