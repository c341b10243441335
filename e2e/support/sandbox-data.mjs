/**
 * The demo data that the sandbox seeds into a fresh database, and lookups of
 * what the tests create, read from the SQLite file.
 */

import { queryDb } from './db.mjs';

/** The seeded merchants' company names. */
export const MERCHANTS = {
  /** Has one warehouse, ACME WMS - Leeds, and one existing Khaos Control store. */
  brandX: 'Brand X Ltd',
  /** Has two warehouses, ACME WMS - Leeds and Harbor 3PL - Newark. */
  northwind: 'Northwind Goods Inc',
};

/** The seeded warehouses' descriptions. */
export const WAREHOUSES = {
  acmeLeeds: 'ACME WMS - Leeds',
  harborNewark: 'Harbor 3PL - Newark',
};

/** Brand X Ltd's seeded Khaos Control store. */
export const EXISTING_STORE = {
  name: 'Brand X Khaos (existing)',
  /** The store as the Store picker lists it: name, platform and id. */
  optionText: 'Brand X Khaos (existing) (Khaos Control, ID 1)',
  /** The User Password seeded in its adapter. */
  password: 'brand-x-demo-password',
};

/**
 * Khaos Control values as a person pastes them, with spaces around the URL
 * and the Site Name that the page must trim, and a space at the end of the
 * password that it must keep.
 *
 * @type {import('./wizard-page.mjs').KhaosStore}
 */
export const KHAOS_STORE = {
  name: 'Northwind Khaos',
  url: '  https://api.khaoscloud.com/northwind/KhaosIDS.exe  ',
  password: 'Kh4os-user-pass ',
  orderImportStatus: 'PICKING (12)',
  substageId: '4',
  siteName: '  Main Site ',
};

/** Returns the seeded id of a merchant. */
export async function merchantId(dbPath, companyName) {
  const rows = await queryDb(dbPath, 'SELECT id FROM customers WHERE company_name = ?', [
    companyName,
  ]);
  if (rows.length !== 1) {
    throw new Error(`Expected one merchant named ${companyName}, found ${rows.length}.`);
  }
  return rows[0].id;
}

/** Returns the seeded id of one of a merchant's warehouses. */
export async function warehouseId(dbPath, customerId, description) {
  const rows = await queryDb(
    dbPath,
    'SELECT id FROM warehouses WHERE customer_id = ? AND description = ?',
    [customerId, description],
  );
  if (rows.length !== 1) {
    throw new Error(
      `Expected one warehouse ${description} of merchant ${customerId}, found ${rows.length}.`,
    );
  }
  return rows[0].id;
}

/** Lists every connection, ordered by id. */
export function listConnections(dbPath) {
  return queryDb(
    dbPath,
    'SELECT id, name, customer_id, store_id, warehouse_id, enabled_at FROM connections ORDER BY id',
  );
}

/** Lists every store, ordered by id, with its adapter JSON parsed. */
export async function listStores(dbPath) {
  const rows = await queryDb(
    dbPath,
    'SELECT id, customer_id, name, platform, adapter FROM stores ORDER BY id',
  );
  return rows.map((row) => ({ ...row, adapter: JSON.parse(row.adapter) }));
}
