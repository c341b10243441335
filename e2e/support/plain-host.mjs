/**
 * A host page with no stylesheet of its own, served on the sandbox's origin
 * so that the wizard's relative `/api` base and the loader's module URLs
 * resolve as on the demo host. The browser gets it from a Playwright route,
 * so the sandbox never receives the request and sends no
 * Content-Security-Policy for it.
 */

/** The path the plain host is served at. The sandbox has no file there. */
export const PLAIN_HOST_PATH = 'e2e-plain-host.html';

const PLAIN_HOST_HTML = `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Plain host</title>
    <link rel="icon" href="data:," />
  </head>
  <body>
    <div id="mount-point"></div>
  </body>
</html>
`;

/**
 * Opens the plain host page in `page`. Its only content is an empty
 * `#mount-point` element, and the loader is not imported yet.
 *
 * @param {import('playwright-core').Page} page
 * @param {string} baseUrl the sandbox's address
 */
export async function openPlainHost(page, baseUrl) {
  const url = new URL(PLAIN_HOST_PATH, baseUrl).href;
  await page.route(url, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: PLAIN_HOST_HTML }),
  );
  await page.goto(url);
}

/**
 * Imports the sandbox's `/dropstream-embed.js` into the plain host and mounts
 * a wizard into `#mount-point` with `options`, keeping the handle in
 * `window.plainHostHandle`.
 *
 * @param {import('playwright-core').Page} page
 * @param {object} options the `mount` options, such as `{ apiBase, token, mode, context }`
 */
export async function mountInPlainHost(page, options) {
  await page.evaluate(async (mountOptions) => {
    const { mount } = await import('/dropstream-embed.js');
    window.plainHostHandle = await mount(document.getElementById('mount-point'), mountOptions);
  }, options);
}
