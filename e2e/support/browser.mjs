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
