/**
 * Headless Debian Chromium driven by playwright-core, and a page that records
 * every console message, request and API response, so that tests can check
 * the exact bytes the backend received.
 */

import { access } from 'node:fs/promises';
import { constants } from 'node:fs';
import { chromium } from 'playwright-core';
import { CHROMIUM_BINARY } from './paths.mjs';

/** How long a Playwright action or wait may take before the test fails, in milliseconds. */
export const ACTION_TIMEOUT_MS = 10_000;

// Chromium refuses to run as root without --no-sandbox. The other switches
// stop background traffic to Google services, so only loopback is contacted.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Launches headless Chromium.
 *
 * @returns {Promise<import('playwright-core').Browser>}
 */
export async function launchBrowser() {
  try {
    await access(CHROMIUM_BINARY, constants.X_OK);
  } catch {
    throw new Error(`Missing ${CHROMIUM_BINARY}: run scripts/setup.sh first.`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_BINARY,
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

/**
 * One request as the browser sent it.
 *
 * @typedef {object} RecordedRequest
 * @property {string} method
 * @property {string} url
 * @property {Record<string, string>} headers header names in lower case
 * @property {string | null} postData the body as text, `null` without one
 */

/**
 * One response to a request under `/api/`.
 *
 * @typedef {object} RecordedResponse
 * @property {string} method
 * @property {string} url
 * @property {number} status
 * @property {Record<string, string>} headers header names in lower case
 * @property {Promise<string | null>} body the body as text, `null` when the browser discarded it
 */

/**
 * One `dropstream:` event as it was dispatched.
 *
 * @typedef {object} DispatchedEvent
 * @property {string} type such as `dropstream:connection-created`
 * @property {string} target the target's tag name and id, such as `div#store-setup-panel`
 * @property {string} detail the event's `detail` as JSON
 */

/**
 * One dialog the page opened, such as the one a `beforeunload` handler requests.
 *
 * @typedef {object} RecordedDialog
 * @property {string} type `alert`, `beforeunload`, `confirm` or `prompt`
 * @property {string} message
 */

// Runs in the page before its own scripts. Wrapping dispatchEvent records
// every `dropstream:` event, including types a test does not listen for, and
// the `securitypolicyviolation` listener records what the
// Content-Security-Policy blocked.
const PAGE_RECORDER_SCRIPT = () => {
  window.__e2eDispatchedEvents = [];
  window.__e2eCspViolations = [];
  const dispatchEvent = EventTarget.prototype.dispatchEvent;
  EventTarget.prototype.dispatchEvent = function recordDispatch(event) {
    if (typeof event?.type === 'string' && event.type.startsWith('dropstream:')) {
      const target = this instanceof Element ? `${this.localName}#${this.id}` : String(this);
      window.__e2eDispatchedEvents.push({
        type: event.type,
        target,
        detail: JSON.stringify(event.detail ?? null),
      });
    }
    return dispatchEvent.call(this, event);
  };
  document.addEventListener('securitypolicyviolation', (event) => {
    window.__e2eCspViolations.push({
      directive: event.effectiveDirective,
      blockedURI: event.blockedURI,
      sample: event.sample,
    });
  });
};

/**
 * A browser context with one page, and everything that page logged and sent.
 */
export class RecordedPage {
  /**
   * @param {import('playwright-core').BrowserContext} context
   * @param {import('playwright-core').Page} page
   */
  constructor(context, page) {
    this.context = context;
    this.page = page;
    /** @type {{type: string, text: string}[]} */
    this.consoleMessages = [];
    /** @type {string[]} */
    this.pageErrors = [];
    /** @type {RecordedRequest[]} */
    this.requests = [];
    /** @type {RecordedResponse[]} */
    this.apiResponses = [];
    /** @type {RecordedDialog[]} */
    this.dialogs = [];

    this.track(page);
  }

  /**
   * Records the console, uncaught errors, requests and API responses of
   * `page` into this object's lists.
   *
   * @param {import('playwright-core').Page} page
   */
  track(page) {
    page.on('console', (message) => {
      this.consoleMessages.push({ type: message.type(), text: message.text() });
    });
    page.on('pageerror', (error) => this.pageErrors.push(String(error)));
    page.on('request', (request) => {
      this.requests.push({
        method: request.method(),
        url: request.url(),
        headers: request.headers(),
        postData: request.postData(),
      });
    });
    page.on('response', (response) => {
      if (!new URL(response.url()).pathname.startsWith('/api/')) {
        return;
      }
      this.apiResponses.push({
        method: response.request().method(),
        url: response.url(),
        status: response.status(),
        headers: response.headers(),
        // Read now, while the browser still has the body.
        body: response.text().catch(() => null),
      });
    });
  }

  /**
   * Opens a second page in the same context, for a test that compares two
   * pages. Its console, errors and traffic go into the same lists as the
   * first page's.
   *
   * @returns {Promise<import('playwright-core').Page>}
   */
  async newPage() {
    const page = await this.context.newPage();
    this.track(page);
    return page;
  }

  /**
   * Returns the requests sent to an API path, such as `('POST', '/connections')`.
   *
   * @returns {RecordedRequest[]}
   */
  apiRequests(method, apiPath) {
    return this.requests.filter(
      (request) => request.method === method && new URL(request.url).pathname === `/api${apiPath}`,
    );
  }

  /**
   * Returns the responses from an API path, in the order they arrived.
   *
   * @returns {RecordedResponse[]}
   */
  responsesFrom(method, apiPath) {
    return this.apiResponses.filter(
      (response) =>
        response.method === method && new URL(response.url).pathname === `/api${apiPath}`,
    );
  }

  /**
   * Accepts every dialog from now on and records it. Tests that reload or
   * leave a page with unsaved input need this: Playwright dismisses dialogs
   * by default, and dismissing the `beforeunload` dialog cancels the reload.
   */
  acceptDialogs() {
    this.page.on('dialog', async (dialog) => {
      this.dialogs.push({ type: dialog.type(), message: dialog.message() });
      await dialog.accept();
    });
  }

  /**
   * Records, from the next page load on, every `dropstream:` event and every
   * Content-Security-Policy violation; read them with `dispatchedEvents()`
   * and `cspViolations()`.
   */
  async recordPageEvents() {
    await this.page.addInitScript(PAGE_RECORDER_SCRIPT);
  }

  /**
   * Returns the `dropstream:` events dispatched since the page loaded.
   *
   * @returns {Promise<DispatchedEvent[]>}
   */
  dispatchedEvents() {
    return this.page.evaluate(() => window.__e2eDispatchedEvents);
  }

  /**
   * Returns the Content-Security-Policy violations reported since the page loaded.
   *
   * @returns {Promise<{directive: string, blockedURI: string, sample: string}[]>}
   */
  cspViolations() {
    return this.page.evaluate(() => window.__e2eCspViolations);
  }

  /**
   * Counts the event listeners on `window`, and on `document` and every node
   * in it, through the DevTools protocol, which reports listeners that page
   * scripts cannot enumerate.
   *
   * @returns {Promise<{window: number, document: number}>}
   */
  async countEventListeners() {
    const devtools = await this.context.newCDPSession(this.page);
    try {
      const counts = {};
      for (const expression of ['window', 'document']) {
        const { result } = await devtools.send('Runtime.evaluate', { expression });
        const { listeners } = await devtools.send('DOMDebugger.getEventListeners', {
          objectId: result.objectId,
          depth: -1,
          pierce: true,
        });
        counts[expression] = listeners.length;
      }
      return counts;
    } finally {
      await devtools.detach();
    }
  }

  /** Closes the context, and with it the page. */
  async close() {
    await this.context.close();
  }
}

/**
 * Opens a page in a fresh browser context (no shared storage or cookies with
 * other tests) that records its traffic and console.
 *
 * @param {import('playwright-core').Browser} browser
 * @returns {Promise<RecordedPage>}
 */
export async function openRecordedPage(browser) {
  const context = await browser.newContext();
  context.setDefaultTimeout(ACTION_TIMEOUT_MS);
  const page = await context.newPage();
  return new RecordedPage(context, page);
}
