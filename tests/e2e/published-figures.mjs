// Published figures for the browser tests of the figures pages, made the way the cities make
// them: each city's data entry saves the grid, its approval releases the report, the office
// publishes it (over HTTP, without a browser, to keep the tests fast).
//
// The years differ on purpose, as in the user trial of issue 16:
//   2024: Bochum and Dortmund report staff and staff by age; only Bochum reports leaders and the
//         population (so the region's leaders are Bochum alone, Dortmund has no reference);
//   2025: Bochum, Dortmund and Herne report everything but Herne's population (the region grows
//         from two cities to three: its time series must break there).
// Every city has small counts in the higher service and among leaders, which are withheld.
import assert from 'node:assert/strict';

import { USERS, user } from '../http/harness.mjs';

// [with immigration history, without answer, all] per category; parts add up to their totals.
function staff(scale) {
  const cells = {
    civil_servants_basic_middle: [60, 10, 500],
    civil_servants_upper: [57, 15, 550],
    civil_servants_higher: [3, 5, 150],
    eg_1_8: [250, 40, 1500],
    eg_9_12: [120, 20, 1000],
    eg_13_plus: [30, 10, 300],
  };
  const scaled = Object.fromEntries(Object.entries(cells).map(([code, counts]) =>
    [code, code === 'civil_servants_higher' ? counts : counts.map((count) => count * scale)]));
  scaled.civil_servants = sum(scaled, ['civil_servants_basic_middle', 'civil_servants_upper',
    'civil_servants_higher']);
  scaled.employees = sum(scaled, ['eg_1_8', 'eg_9_12', 'eg_13_plus']);
  scaled.total = sum(scaled, ['civil_servants', 'employees']);
  return scaled;
}

function leaders(scale) {
  const cells = { civil_servants: [4, 1, 60], employees: [8 * scale, 2, 90 * scale] };
  cells.total = sum(cells, ['civil_servants', 'employees']);
  return cells;
}

function byAge(bands, scale) {
  const cells = Object.fromEntries(Object.entries(bands).map(([code, counts]) =>
    [code, counts.map((count) => count * scale)]));
  cells.total = sum(cells, Object.keys(bands));
  return cells;
}

const STAFF_AGE = {
  age_18_29: [150, 30, 800], age_30_44: [200, 40, 1400], age_45_54: [110, 20, 1000],
  age_55_64: [60, 10, 800],
};
const POPULATION = {
  age_18_29: [30000, 2000, 70000], age_30_44: [40000, 3000, 90000],
  age_45_54: [20000, 1500, 60000], age_55_64: [12000, 1000, 60000],
};

function sum(cells, codes) {
  return [0, 1, 2].map((index) => codes.reduce((total, code) => total + cells[code][index], 0));
}

// city → year → indicator → cells
const REPORTS = [
  ['bochum', 2024, { staff: staff(1), staff_leadership: leaders(1), staff_age: byAge(STAFF_AGE, 1),
    population: byAge(POPULATION, 1) }],
  ['dortmund', 2024, { staff: staff(2), staff_age: byAge(STAFF_AGE, 2) }],
  ['bochum', 2025, { staff: staff(1), staff_leadership: leaders(1), staff_age: byAge(STAFF_AGE, 1),
    population: byAge(POPULATION, 1) }],
  ['dortmund', 2025, { staff: staff(2), staff_leadership: leaders(2),
    staff_age: byAge(STAFF_AGE, 2), population: byAge(POPULATION, 2) }],
  ['herne', 2025, { staff: staff(1), staff_leadership: leaders(1),
    staff_age: byAge(STAFF_AGE, 1) }],
];

const ACCOUNTS = {
  bochum: { entry: USERS.bochumEntry, approval: USERS.bochumApproval },
  dortmund: { entry: user('dortmund-erfassung', 'Dana Dortmund', 'city_entry', 'dortmund'),
    approval: USERS.dortmundApproval },
  herne: { entry: user('herne-erfassung', 'Hanna Herne', 'city_entry', 'herne'),
    approval: user('herne-freigabe', 'Hugo Herne', 'city_approval', 'herne') },
};

// The grid's fields: "<indicator>--<category>--<column>". Every cell carries a comment, so that
// a year-on-year warning does not hold the report back.
function gridFields(indicators, year) {
  const fields = {};
  for (const [indicator, cells] of Object.entries(indicators)) {
    for (const [category, [withHistory, unknown, all]] of Object.entries(cells)) {
      const cell = `${indicator}--${category}`;
      Object.assign(fields, {
        [`${cell}--zaehler`]: String(withHistory), [`${cell}--ohne_angabe`]: String(unknown),
        [`${cell}--nenner`]: String(all), [`${cell}--kommentar`]: 'Testdaten',
        [`${cell}--quelle`]: 'Personalstatistik', [`${cell}--stichtag`]: `${year}-12-31`,
      });
    }
  }
  return fields;
}

async function step(server, account, path, fields, what) {
  const client = server.client();
  assert.equal((await client.login(account)).status, 303, `${what}: sign-in of ${account.username}`);
  const response = await client.submit(path.replace(/\/status$/, ''), fields, { action: path });
  assert.equal(response.status, 303, `${what}: ${response.body.slice(0, 2000)}`);
}

// Publishes REPORTS on `server` (in their order). Takes a few seconds: every publication plans
// the suppression of the year's tables.
export async function publishFigures(server) {
  for (const accounts of [ACCOUNTS.dortmund, ACCOUNTS.herne]) {
    await server.createUser(accounts.entry);
    if (accounts.approval !== USERS.dortmundApproval) await server.createUser(accounts.approval);
  }
  for (const [city, year, indicators] of REPORTS) {
    const report = `/staedte/${city}/monitoring/${year}`;
    const what = `${city} ${year}`;
    await step(server, ACCOUNTS[city].entry, report, gridFields(indicators, year), `${what} saved`);
    await step(server, ACCOUNTS[city].entry, `${report}/status`, { aktion: 'submit' },
      `${what} submitted`);
    await step(server, ACCOUNTS[city].approval, `${report}/status`, { aktion: 'approve' },
      `${what} approved`);
    await step(server, USERS.office, `${report}/status`, { aktion: 'publish' },
      `${what} published`);
  }
}

// Issue 16: after all of the above, the office returns Bochum's 2025 report and Bochum corrects
// its pay groups 9–12 (120 → 122 with immigration history, 1000 → 1002 in all) and publishes it
// again: the page marks the corrected figures "r" and the office's plan lists every release.
export async function correctFigures(server) {
  const report = '/staedte/bochum/monitoring/2025';
  await step(server, USERS.office, `${report}/status`,
    { aktion: 'return', begruendung: 'Entgeltgruppen 9–12 berichtigen' }, 'Bochum 2025 returned');
  const corrected = staff(1);
  corrected.eg_9_12 = [122, 20, 1002];
  corrected.employees = sum(corrected, ['eg_1_8', 'eg_9_12', 'eg_13_plus']);
  corrected.total = sum(corrected, ['civil_servants', 'employees']);
  const indicators = { ...REPORTS[2][2], staff: corrected };
  await step(server, ACCOUNTS.bochum.entry, report, gridFields(indicators, 2025),
    'Bochum 2025 corrected');
  await step(server, ACCOUNTS.bochum.entry, `${report}/status`, { aktion: 'submit' },
    'Bochum 2025 submitted');
  await step(server, ACCOUNTS.bochum.approval, `${report}/status`, { aktion: 'approve' },
    'Bochum 2025 approved');
  await step(server, USERS.office, `${report}/status`, { aktion: 'publish' },
    'Bochum 2025 published again');
}
