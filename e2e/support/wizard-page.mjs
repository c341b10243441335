/**
 * The Add Connection wizard as a person uses it. Every element is found by
 * its visible label or its role and name, never by id, class or test hook,
 * so a test fails when a label a user relies on changes. On a host page with
 * several wizards, the page object is scoped to the element one wizard is
 * mounted in.
 */

/** The demo account that the sandbox seeds. */
export const DEMO_USER = { username: 'demo', password: 'demo-password' };

/**
 * The values a person types into the Khaos Control store fields. The page
 * object passes them to the page exactly, spaces included.
 *
 * @typedef {object} KhaosStore
 * @property {string} name the store's Name
 * @property {string} url the URL
 * @property {string} password the User Password
 * @property {string} [orderImportStatus] the option text, such as "PICKING (12)"
 * @property {string} [substageId] the Substage ID
 * @property {string} [siteName] the Site Name
 */

export class WizardPage {
  /**
   * @param {import('playwright-core').Page} page
   * @param {import('playwright-core').Locator} [scope] the element the wizard
   *   is mounted in, or the whole page when left out
   */
  constructor(page, scope = undefined) {
    this.page = page;
    /** @type {import('playwright-core').Page | import('playwright-core').Locator} */
    this.scope = scope ?? page;
  }

  /** Opens the standalone page and waits for the Sign in form. */
  async open(baseUrl) {
    await this.page.goto(baseUrl);
    await this.waitForStep('Sign in');
  }

  /** Returns the control whose label is exactly `label`. */
  field(label) {
    return this.scope.getByLabel(label, { exact: true });
  }

  /** Returns the button named exactly `name`. */
  button(name) {
    return this.scope.getByRole('button', { name, exact: true });
  }

  /** Returns the step heading named exactly `title`. */
  heading(title) {
    return this.scope.getByRole('heading', { name: title, exact: true });
  }

  /** Returns the visible alerts: request errors and the sign-in error. */
  alert() {
    return this.scope.getByRole('alert');
  }

  /** Waits until the step titled `title` is shown. */
  async waitForStep(title) {
    await this.heading(title).waitFor();
  }

  /** Fills the Sign in form and submits it, without waiting for the result. */
  async submitSignIn(username, password) {
    await this.field('Username').fill(username);
    await this.field('Password').fill(password);
    await this.button('Sign in').click();
  }

  /** Signs in and waits until the Sign in form has gone. */
  async signIn({ username, password } = DEMO_USER) {
    await this.submitSignIn(username, password);
    await this.heading('Sign in').waitFor({ state: 'detached' });
  }

  /** Types the Connection Name and continues to Merchant Information. */
  async fillBasic(connectionName) {
    await this.field('Connection Name').fill(connectionName);
    await this.button('Continue').click();
    await this.waitForStep('Merchant Information');
  }

  /** Picks an existing merchant by company name and continues to Warehouse Setup. */
  async pickMerchant(companyName) {
    await this.field('Merchant').selectOption({ label: companyName });
    await this.button('Continue').click();
    await this.waitForStep('Warehouse Setup');
  }

  /**
   * Picks one of the merchant's warehouses by description, or with no
   * description confirms the merchant's only one, and continues to Store Setup.
   */
  async pickWarehouse(description) {
    if (description !== undefined) {
      await this.field('Warehouse').selectOption({ label: description });
    }
    await this.button('Continue').click();
    await this.waitForStep('Store Setup');
  }

  /** Walks from Basic Information to Store Setup. */
  async reachStoreSetup({ connectionName, merchant, warehouse }) {
    await this.fillBasic(connectionName);
    await this.pickMerchant(merchant);
    await this.pickWarehouse(warehouse);
  }

  /** Chooses "Create new store". */
  async chooseNewStore() {
    await this.scope.getByRole('radio', { name: 'Create new store', exact: true }).check();
  }

  /** Chooses "Use existing store" and picks the store whose option reads `optionText`. */
  async chooseExistingStore(optionText) {
    await this.scope.getByRole('radio', { name: 'Use existing store', exact: true }).check();
    await this.field('Store').selectOption({ label: optionText });
  }

  /**
   * Chooses "Create new store" on Khaos Control and types the store's fields.
   * Fields left out of `store` are not touched.
   *
   * @param {KhaosStore} store
   */
  async fillKhaos(store) {
    await this.chooseNewStore();
    await this.field('Name').fill(store.name);
    await this.field('Platform').selectOption({ label: 'Khaos Control' });
    await this.field('URL').fill(store.url);
    await this.field('User Password').fill(store.password);
    if (store.orderImportStatus !== undefined) {
      await this.field('Order Import Status').selectOption({ label: store.orderImportStatus });
    }
    if (store.substageId !== undefined) {
      await this.field('Substage ID').fill(store.substageId);
    }
    if (store.siteName !== undefined) {
      await this.field('Site Name').fill(store.siteName);
    }
  }

  /**
   * Reads the Khaos Control store fields as shown, in the shape of
   * `KhaosStore`, with the Platform's option text added.
   */
  async readKhaos() {
    return {
      name: await this.field('Name').inputValue(),
      platform: await this.selectedOptionText('Platform'),
      url: await this.field('URL').inputValue(),
      password: await this.field('User Password').inputValue(),
      orderImportStatus: await this.selectedOptionText('Order Import Status'),
      substageId: await this.field('Substage ID').inputValue(),
      siteName: await this.field('Site Name').inputValue(),
    };
  }

  /** Clicks Add connection, without waiting for the result. */
  async addConnection() {
    await this.button('Add connection').click();
  }

  /** Waits for the confirmation and returns the connection id it shows. */
  async createdConnectionId() {
    await this.waitForStep('Connection created');
    const text = await this.scope.getByRole('status').innerText();
    const match = /was created with ID (\d+)\./.exec(text);
    if (!match) {
      throw new Error(`The confirmation shows no connection ID: ${JSON.stringify(text)}`);
    }
    return Number(match[1]);
  }

  /** Reads the text of the option chosen in the select labelled `label`. */
  async selectedOptionText(label) {
    return this.field(label).evaluate((select) => select.selectedOptions[0]?.textContent.trim());
  }

  /**
   * Reads the accessible description of the control labelled `label`: its
   * help line and its message, as a screen reader announces them.
   */
  async descriptionOf(label) {
    return this.field(label).evaluate((control) =>
      (control.getAttribute('aria-describedby') ?? '')
        .split(/\s+/)
        .map((id) => control.ownerDocument.getElementById(id)?.textContent ?? '')
        .join(' ')
        .trim(),
    );
  }

  /** Waits until `message` is shown next to the control labelled `label`. */
  async waitForMessage(label, message) {
    await this.scope.getByText(message, { exact: true }).first().waitFor();
    const description = await this.descriptionOf(label);
    if (!description.includes(message)) {
      throw new Error(
        `${JSON.stringify(message)} is shown, but not as the message of ${label}, ` +
          `whose description is ${JSON.stringify(description)}.`,
      );
    }
  }

  /** Waits until `message` is no longer shown next to the control labelled `label`. */
  async waitForMessageGone(label, message) {
    await this.scope.getByText(message, { exact: true }).waitFor({ state: 'detached' });
    const description = await this.descriptionOf(label);
    if (description.includes(message)) {
      throw new Error(`${label} still has the message ${JSON.stringify(message)}.`);
    }
  }

  /** Returns whether the control labelled `label` has the keyboard focus. */
  async isFocused(label) {
    return this.field(label).evaluate((control) => control.ownerDocument.activeElement === control);
  }
}
