// DropStream Connect loader for host pages. The build copies this file next
// to the hashed module and wasm files and fills in their names, so hosts can
// import one stable path and still cache the hashed files for ever.
//
//   import { mount } from "/dropstream/dropstream-embed.js";
//   const handle = await mount(element, { apiBase: "/api", token });
//
// It also defines the <dropstream-connect> element on the same core.

import init, { mount as mountWasm } from "./__MODULE__";

let ready;

/** Loads the WebAssembly module once, however many wizards are mounted. */
function load() {
  ready ??= init({ module_or_path: new URL("./__WASM__", import.meta.url) });
  return ready;
}

/**
 * Mounts a wizard into `element` and resolves to a handle with `unmount()`
 * and `setToken(token)`. Rejects with an Error, also logged and shown in the
 * element, when the options are invalid.
 */
export async function mount(element, options = {}) {
  if (!(element instanceof HTMLElement)) {
    throw new TypeError("DropStream Connect: mount needs an HTMLElement to mount into.");
  }
  await load();
  return mountWasm(element, options);
}

const NUMBER_ATTRIBUTES = { "merchant-id": "merchantId", "warehouse-id": "warehouseId" };

/**
 * <dropstream-connect api-base="/api" mode="store-setup" connection-name="…"
 * merchant-id="12" warehouse-id="34">: mounts when connected, unmounts when
 * removed. The token is set through the `token` property or `setToken()`,
 * never an attribute, so it stays out of the markup.
 */
class DropStreamConnectElement extends HTMLElement {
  #handle = null;
  #token = null;
  #mounting = null;

  get token() {
    return null;
  }

  set token(value) {
    this.setToken(value);
  }

  setToken(token) {
    this.#token = token;
    this.#handle?.setToken(token);
  }

  connectedCallback() {
    this.#mounting ??= this.#mount();
  }

  disconnectedCallback() {
    const mounting = this.#mounting;
    this.#mounting = null;
    mounting?.then(() => {
      this.#handle?.unmount();
      this.#handle = null;
    });
  }

  async #mount() {
    // Waiting first lets a token set right after the element was added, in
    // the same task, reach the options below.
    await load();
    const options = { apiBase: this.getAttribute("api-base") ?? undefined };
    if (this.#token) options.token = this.#token;
    const mode = this.getAttribute("mode");
    if (mode) options.mode = mode;
    if (mode === "store-setup") {
      options.context = { connectionName: this.getAttribute("connection-name") ?? "" };
      for (const [attribute, key] of Object.entries(NUMBER_ATTRIBUTES)) {
        const value = this.getAttribute(attribute);
        if (value === null) continue;
        if (!/^\s*[1-9][0-9]*\s*$/.test(value)) {
          const message = `DropStream Connect: the ${attribute} attribute must be a whole number above 0, not ${JSON.stringify(value)}.`;
          console.error(message);
          this.textContent = message;
          return;
        }
        options.context[key] = Number(value);
      }
    }
    try {
      this.#handle = await mount(this, options);
    } catch (error) {
      // mount has logged the message and shown it in the element already.
    }
  }
}

if (!customElements.get("dropstream-connect")) {
  customElements.define("dropstream-connect", DropStreamConnectElement);
}
