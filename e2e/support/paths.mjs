/**
 * Paths of the built artefacts the end-to-end tests run against.
 */

import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, two folders above this file. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The release build of the sandbox, from `scripts/build.sh`. */
export const SANDBOX_BINARY = path.join(REPO_ROOT, 'target', 'release', 'dropstream-sandbox');

/** The release build of the page, from `scripts/build.sh`. */
export const DIST_DIR = path.join(REPO_ROOT, 'dist');

/** Debian's Chromium, installed by `scripts/setup.sh`. */
export const CHROMIUM_BINARY = '/usr/bin/chromium';
