/**
 * The fixture every test file uses: one browser per file, and for each test a
 * fresh sandbox (own port, own seeded database, no fault left over from
 * another test) and a fresh browser context. The context starts with the
 * wizard open on the standalone page or on the demo host page.
 */

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser, openRecordedPage } from './browser.mjs';
import { DEMO_HOST_PATH, DemoHostPage } from './demo-host-page.mjs';
import { startSandbox } from './sandbox.mjs';
import { WizardPage } from './wizard-page.mjs';

/** The maximum run time of one test, in milliseconds. */
const TEST_TIMEOUT_MS = 60_000;

/** How many sandbox log lines a failed test prints. */
const LOG_LINES_ON_FAILURE = 40;

/**
 * Everything a test works with.
 *
 * @typedef {object} Session
 * @property {import('./sandbox.mjs').Sandbox} sandbox
 * @property {import('./browser.mjs').RecordedPage} recorded
 * @property {import('playwright-core').Page} page
 * @property {WizardPage} wizard the standalone page's wizard
 * @property {DemoHostPage} host the demo host page and its two wizards
 */

/**
 * Prints what the page and the sandbox logged, to explain a failure.
 *
 * @param {import('node:test').TestContext} t
 * @param {Session} session
 */
async function printDiagnostics(t, session) {
  t.diagnostic(`page URL: ${session.page.url()}`);
  for (const dialog of session.recorded.dialogs) {
    t.diagnostic(`dialog ${dialog.type}: ${dialog.message}`);
  }
  if (new URL(session.page.url()).pathname === `/${DEMO_HOST_PATH}`) {
    const lines = await session.page
      .locator('#event-log > li')
      .allTextContents()
      .catch(() => []);
    for (const line of lines) {
      t.diagnostic(`host event log: ${line}`);
    }
  }
  for (const message of session.recorded.consoleMessages) {
    t.diagnostic(`console ${message.type}: ${message.text}`);
  }
  for (const error of session.recorded.pageErrors) {
    t.diagnostic(`page error: ${error}`);
  }
  for (const request of session.recorded.requests) {
    t.diagnostic(`request: ${request.method} ${request.url}`);
  }
  for (const line of session.sandbox.logLines.slice(-LOG_LINES_ON_FAILURE)) {
    t.diagnostic(`sandbox: ${line}`);
  }
}

/**
 * Registers the browser for the calling test file and returns `wizardTest`,
 * which defines a test that gets a fresh `Session`. After the body passes,
 * each test also checks that the page threw no uncaught error.
 *
 * @param {object} [options]
 * @param {'standalone' | 'demo-host' | 'none'} [options.start] the page each
 *   test starts on: the standalone page at its Sign in form (the default),
 *   the demo host with both wizards mounted and every `dropstream:` event
 *   recorded, or nothing, for tests that serve a page of their own
 */
export function wizardSuite({ start = 'standalone' } = {}) {
  let browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  /**
   * @param {string} name what the test shows, as a short sentence
   * @param {(session: Session) => Promise<void>} body
   */
  function wizardTest(name, body) {
    test(name, { timeout: TEST_TIMEOUT_MS }, async (t) => {
      const sandbox = await startSandbox();
      let recorded;
      try {
        recorded = await openRecordedPage(browser);
      } catch (error) {
        await sandbox.stop();
        throw error;
      }
      const session = {
        sandbox,
        recorded,
        page: recorded.page,
        wizard: new WizardPage(recorded.page),
        host: new DemoHostPage(recorded.page),
      };
      try {
        if (start === 'standalone') {
          await session.wizard.open(sandbox.baseUrl);
        } else if (start === 'demo-host') {
          await recorded.recordPageEvents();
          await session.host.open(sandbox.baseUrl);
        }
        await body(session);
        assert.deepEqual(recorded.pageErrors, [], 'the page threw uncaught errors');
      } catch (error) {
        await printDiagnostics(t, session);
        throw error;
      } finally {
        // The browser goes first, so that no open connection delays the sandbox's exit.
        await recorded.close();
        await sandbox.stop();
      }
    });
  }

  return wizardTest;
}
