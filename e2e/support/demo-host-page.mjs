/**
 * The demo host page, `/demo/host.html`: a dashboard with a deliberately
 * hostile stylesheet that embeds the Store Setup step and, in a 320 px side
 * panel, the whole wizard. Each wizard is driven through a `WizardPage`
 * scoped to its panel, because both have fields with the same labels.
 */

import { WizardPage } from './wizard-page.mjs';

/** The demo host's path on the sandbox. */
export const DEMO_HOST_PATH = 'demo/host.html';

/** The document title the host sets. The wizard must never change it. */
export const DEMO_HOST_TITLE = 'Acme 3PL dashboard · DropStream Connect demo host';

/** The context the host passes to its Store Setup mount. */
export const STORE_SETUP_CONTEXT = {
  connectionName: 'Brand X - Khaos -> ACME WMS',
  merchantId: 1,
  warehouseId: 1,
};

/** The `initialValues` the host passes to its Store Setup mount. */
export const STORE_SETUP_PRESET = { storeName: 'Brand X Khaos', platform: 'Khaos Control' };

/**
 * One line of the host's "Events received" list: the panel the event came
 * from (`store-setup`, `wizard` or `host`), its type, and its detail.
 *
 * @typedef {object} LoggedEvent
 * @property {string} panel
 * @property {string} type such as `dropstream:connection-created` or `host:token-refreshed`
 * @property {unknown} detail the parsed detail
 * @property {string} text the line as shown
 */

const LOG_LINE = /^(\S+) (\S+) (.*)$/s;

export class DemoHostPage {
  /**
   * @param {import('playwright-core').Page} page
   */
  constructor(page) {
    this.page = page;
    /** The element the host mounts the Store Setup step in. */
    this.storeSetupPanel = page.locator('#store-setup-panel');
    /** The 320 px side panel the host mounts the whole wizard in. */
    this.wizardPanel = page.locator('#wizard-panel');
    /** The Store Setup step, embedded with a context. */
    this.storeSetup = new WizardPage(page, this.storeSetupPanel);
    /** The whole wizard in the side panel. */
    this.sideWizard = new WizardPage(page, this.wizardPanel);
  }

  /**
   * Opens the demo host and waits until both wizards show their first step:
   * Store Setup in the main panel, Basic Information in the side panel.
   */
  async open(baseUrl) {
    await this.page.goto(new URL(DEMO_HOST_PATH, baseUrl).href);
    await this.page.evaluate(() => window.demoHost.ready);
    await this.storeSetup.waitForStep('Store Setup');
    await this.sideWizard.waitForStep('Basic Information');
  }

  /** Returns the host's button named exactly `name`, outside both wizards. */
  hostButton(name) {
    return this.page.locator('.host-controls').getByRole('button', { name, exact: true });
  }

  /**
   * Reads the host's "Events received" list.
   *
   * @returns {Promise<LoggedEvent[]>}
   */
  async loggedEvents() {
    const lines = await this.page.locator('#event-log > li').allTextContents();
    return lines.map((text) => {
      const match = LOG_LINE.exec(text);
      if (!match) {
        throw new Error(`The event log has a line of unknown form: ${JSON.stringify(text)}`);
      }
      return { panel: match[1], type: match[2], detail: JSON.parse(match[3]), text };
    });
  }

  /**
   * Waits until the event log has `count` lines of `type` from `panel`, and
   * returns them.
   */
  async waitForLoggedEvents(panel, type, count = 1) {
    await this.page.waitForFunction(
      ([prefix, expected]) =>
        [...document.querySelectorAll('#event-log > li')].filter((line) =>
          line.textContent.startsWith(prefix),
        ).length >= expected,
      [`${panel} ${type} `, count],
    );
    const events = await this.loggedEvents();
    return events.filter((event) => event.panel === panel && event.type === type);
  }

  /** Unmounts one of the host's wizards through its handle. */
  async unmount(handleName) {
    await this.page.evaluate((name) => {
      window.demoHost.handles[name].unmount();
      window.demoHost.handles[name] = null;
    }, handleName);
  }

  /** Reads the CSS text of every stylesheet adopted by the document. */
  adoptedStyleSheets() {
    return this.page.evaluate(() =>
      document.adoptedStyleSheets.map((sheet) =>
        [...sheet.cssRules].map((rule) => rule.cssText).join('\n'),
      ),
    );
  }
}
