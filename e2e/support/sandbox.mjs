/**
 * Starts the DropStream API sandbox on a free port with a fresh SQLite file
 * and the test endpoints enabled, and stops it again.
 */

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { constants } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { DIST_DIR, SANDBOX_BINARY } from './paths.mjs';

/** How long the sandbox may take to print its address, in milliseconds. */
const START_TIMEOUT_MS = 15_000;

/** How long the sandbox may take to exit after SIGTERM before it gets SIGKILL, in milliseconds. */
const STOP_TIMEOUT_MS = 5_000;

/** How many of the last stderr lines are kept for error messages. */
const LOG_LINES_KEPT = 400;

const LISTENING_LINE = /^DropStream sandbox listening on (http:\/\/127\.0\.0\.1:\d+\/)$/;

/**
 * Throws with the fix when the sandbox binary or the built page is missing.
 */
async function requireBuild() {
  const missing = [];
  try {
    await access(SANDBOX_BINARY, constants.X_OK);
  } catch {
    missing.push(`the sandbox binary ${SANDBOX_BINARY}`);
  }
  try {
    await access(path.join(DIST_DIR, 'index.html'), constants.R_OK);
  } catch {
    missing.push(`the built page ${path.join(DIST_DIR, 'index.html')}`);
  }
  if (missing.length > 0) {
    throw new Error(`Missing ${missing.join(' and ')}: run scripts/build.sh first.`);
  }
}

/**
 * A running sandbox: its address, its database file, its log, and the test
 * endpoints under `/api/_test`.
 */
export class Sandbox {
  /**
   * @param {import('node:child_process').ChildProcess} child the sandbox process
   * @param {string} baseUrl the page's address, ending in a slash
   * @param {string} dbPath the SQLite file the sandbox writes
   * @param {string} tempDir the folder that contains the SQLite file, removed on stop
   * @param {string[]} logLines the last stderr lines, filled while the sandbox runs
   */
  constructor(child, baseUrl, dbPath, tempDir, logLines) {
    this.child = child;
    this.baseUrl = baseUrl;
    this.dbPath = dbPath;
    this.tempDir = tempDir;
    this.logLines = logLines;
    this.stopped = false;
  }

  /** Returns the sandbox's stderr so far, as one string. */
  log() {
    return this.logLines.join('\n');
  }

  /**
   * Makes the next `count` requests to `POST /api/connections` misbehave:
   * `fail_500`, `delay` (then proceed after `delayMs`) or `drop_after_commit`.
   */
  async setConnectionFault(mode, { delayMs = 0, count = 1 } = {}) {
    await this.postTestEndpoint('faults', {
      connections: { mode, delay_ms: delayMs, count },
    });
  }

  /** Clears the fault set by `setConnectionFault`, also when it has requests left. */
  async clearConnectionFault() {
    await this.postTestEndpoint('faults', { connections: null });
  }

  /** Deletes every token, so that the page's next API call gets 401. */
  async expireTokens() {
    await this.postTestEndpoint('expire-tokens', undefined);
  }

  /**
   * Signs in with `POST /api/auth/token`, as a dashboard does for the page it
   * embeds the wizard in, and returns the bearer token.
   */
  async requestToken({ username, password }) {
    const response = await fetch(new URL('api/auth/token', this.baseUrl), {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ grant_type: 'client_credentials' }),
    });
    if (!response.ok) {
      throw new Error(`POST /api/auth/token failed with HTTP ${response.status}.`);
    }
    return (await response.json()).access_token;
  }

  /**
   * Creates a connection with `POST /api/connections`, as another user of
   * DropStream would, and returns its id.
   */
  async createConnection(token, body) {
    const response = await fetch(new URL('api/connections', this.baseUrl), {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (response.status !== 201) {
      throw new Error(
        `POST /api/connections failed with HTTP ${response.status}: ${await response.text()}`,
      );
    }
    return (await response.json()).id;
  }

  async postTestEndpoint(name, body) {
    const response = await fetch(new URL(`api/_test/${name}`, this.baseUrl), {
      method: 'POST',
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) {
      throw new Error(
        `POST /api/_test/${name} failed with HTTP ${response.status}: ${await response.text()}`,
      );
    }
  }

  /**
   * Stops the sandbox with SIGTERM (SIGKILL if it has not exited after
   * STOP_TIMEOUT_MS), waits for it to exit and removes its database. Throws
   * when it had already died on its own, so a crash does not go unnoticed.
   */
  async stop() {
    if (this.stopped) {
      return;
    }
    this.stopped = true;
    const crashed = this.child.exitCode !== null || this.child.signalCode !== null;
    if (!crashed) {
      const exited = once(this.child, 'exit');
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
    await rm(this.tempDir, { recursive: true, force: true });
    if (crashed) {
      throw new Error(
        `The sandbox exited before the test stopped it (code ${this.child.exitCode}, ` +
          `signal ${this.child.signalCode}). Its log:\n${this.log()}`,
      );
    }
  }
}

/**
 * Starts a sandbox on 127.0.0.1 with a free port, a fresh seeded database in a
 * temporary folder, the built page and `--test-faults`, and resolves once it
 * prints its address.
 *
 * @returns {Promise<Sandbox>}
 */
export async function startSandbox() {
  await requireBuild();
  const tempDir = await mkdtemp(path.join(os.tmpdir(), 'dropstream-e2e-'));
  const dbPath = path.join(tempDir, 'sandbox.sqlite3');
  const child = spawn(
    SANDBOX_BINARY,
    ['--port', '0', '--db', dbPath, '--dist', DIST_DIR, '--test-faults'],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, RUST_LOG: 'info' } },
  );

  // Both pipes are read to the end, because a full pipe would block the sandbox.
  const logLines = [];
  readline.createInterface({ input: child.stderr }).on('line', (line) => {
    logLines.push(line);
    if (logLines.length > LOG_LINES_KEPT) {
      logLines.shift();
    }
  });
  const stdoutLines = readline.createInterface({ input: child.stdout });

  let timer;
  try {
    const baseUrl = await new Promise((resolve, reject) => {
      stdoutLines.once('line', (line) => {
        const match = LISTENING_LINE.exec(line);
        if (match) {
          resolve(match[1]);
        } else {
          reject(new Error(`The sandbox printed ${JSON.stringify(line)} instead of its address.`));
        }
      });
      child.once('error', (error) =>
        reject(new Error(`Failed to start ${SANDBOX_BINARY}: ${error.message}`)),
      );
      child.once('exit', (code, signal) =>
        reject(new Error(`The sandbox exited at start (code ${code}, signal ${signal}).`)),
      );
      timer = setTimeout(
        () => reject(new Error(`The sandbox printed no address within ${START_TIMEOUT_MS} ms.`)),
        START_TIMEOUT_MS,
      );
    });
    stdoutLines.on('line', () => {});
    return new Sandbox(child, baseUrl, dbPath, tempDir, logLines);
  } catch (error) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
    await rm(tempDir, { recursive: true, force: true });
    error.message += `\nSandbox log:\n${logLines.join('\n')}`;
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
