// The demo host: gets a token the way a dashboard would (here from the
// sandbox's demo account), mounts two wizards, and logs every event.
import { mount } from "../dropstream-embed.js";

const API_BASE = "/api";
const STORE_SETUP_CONTEXT = {
  connectionName: "Brand X - Khaos -> ACME WMS",
  merchantId: 1,
  warehouseId: 1,
};
const EVENTS = ["connection-created", "cancelled", "step-changed", "authentication-required"];

async function fetchToken() {
  const response = await fetch(`${API_BASE}/auth/token`, {
    method: "POST",
    headers: {
      Authorization: `Basic ${btoa("demo:demo-password")}`,
      "Content-Type": "application/json",
    },
    body: JSON.stringify({ grant_type: "client_credentials" }),
  });
  if (!response.ok) throw new Error(`sign-in failed with HTTP ${response.status}`);
  return (await response.json()).access_token;
}

const log = document.getElementById("event-log");
function record(panel, type, detail) {
  const item = document.createElement("li");
  item.textContent = `${panel} ${type} ${JSON.stringify(detail)}`;
  log.append(item);
}

const handles = {};
const panels = {
  "store-setup": document.getElementById("store-setup-panel"),
  wizard: document.getElementById("wizard-panel"),
};

for (const [name, element] of Object.entries(panels)) {
  for (const type of EVENTS) {
    element.addEventListener(`dropstream:${type}`, async (event) => {
      record(name, event.type, event.detail);
      if (type === "authentication-required") {
        handles[name]?.setToken(await fetchToken());
        record(name, "host:token-refreshed", {});
      }
    });
  }
}

async function mountStoreSetup() {
  handles["store-setup"] = await mount(panels["store-setup"], {
    apiBase: API_BASE,
    token: await fetchToken(),
    mode: "store-setup",
    context: STORE_SETUP_CONTEXT,
    initialValues: { storeName: "Brand X Khaos", platform: "khaos_control" },
  });
}

async function mountWizard() {
  handles.wizard = await mount(panels.wizard, { apiBase: API_BASE, token: await fetchToken() });
}

document.getElementById("unmount-store-setup").addEventListener("click", () => {
  handles["store-setup"]?.unmount();
  handles["store-setup"] = null;
});
document.getElementById("mount-store-setup").addEventListener("click", () => {
  if (!handles["store-setup"]) mountStoreSetup();
});
document.getElementById("host-form").addEventListener("submit", (event) => {
  event.preventDefault();
  record("host", "host:search", {});
});

// Tests reach the handles through this object; a real host keeps them private.
window.demoHost = { handles, fetchToken, mountStoreSetup, mountWizard, ready: null };
window.demoHost.ready = Promise.all([mountStoreSetup(), mountWizard()]);
