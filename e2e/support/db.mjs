/**
 * Reads and changes the sandbox's SQLite file directly, through Python's
 * sqlite3 module, so that tests check what was really stored rather than
 * what the API reports.
 */

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** How long one python3 call may take, in milliseconds. */
const PYTHON_TIMEOUT_MS = 10_000;

// The sandbox keeps the file open in WAL mode. A reader sees every committed
// transaction, and the 5 s timeout covers a write that holds the lock.
const QUERY_SCRIPT = `
import json, pathlib, sqlite3, sys
path, sql, params = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
uri = pathlib.Path(path).resolve().as_uri() + "?mode=ro"
connection = sqlite3.connect(uri, uri=True, timeout=5)
connection.row_factory = sqlite3.Row
rows = [dict(row) for row in connection.execute(sql, params)]
connection.close()
print(json.dumps(rows))
`;

const EXECUTE_SCRIPT = `
import json, sqlite3, sys
path, sql, params = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
connection = sqlite3.connect(path, timeout=5)
with connection:
    changed = connection.execute(sql, params).rowcount
connection.close()
print(json.dumps(changed))
`;

async function runPython(script, dbPath, sql, params) {
  try {
    const { stdout } = await execFileAsync(
      'python3',
      ['-c', script, dbPath, sql, JSON.stringify(params)],
      { timeout: PYTHON_TIMEOUT_MS },
    );
    return JSON.parse(stdout);
  } catch (error) {
    throw new Error(`SQL failed on ${dbPath}: ${sql}\n${error.stderr || error.message}`);
  }
}

/**
 * Runs a read-only query and returns its rows as objects keyed by column name.
 *
 * @param {string} dbPath the SQLite file
 * @param {string} sql the query, with `?` placeholders
 * @param {unknown[]} [params] the values for the placeholders
 * @returns {Promise<Record<string, unknown>[]>}
 */
export function queryDb(dbPath, sql, params = []) {
  return runPython(QUERY_SCRIPT, dbPath, sql, params);
}

/**
 * Runs one statement that changes data, in its own transaction, and returns
 * the number of rows it changed. Tests use it to change the data behind the
 * page's back, as another user of DropStream would.
 *
 * @param {string} dbPath the SQLite file
 * @param {string} sql the statement, with `?` placeholders
 * @param {unknown[]} [params] the values for the placeholders
 * @returns {Promise<number>}
 */
export function executeDb(dbPath, sql, params = []) {
  return runPython(EXECUTE_SCRIPT, dbPath, sql, params);
}
