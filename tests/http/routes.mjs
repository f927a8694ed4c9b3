// The pages of the contract, shared by the HTTP and browser tests. Extend these lists when a
// page is added: every page listed here is checked for markup hygiene and accessibility.

// Public pages, German and their English mirrors.
export const PUBLIC_PAGES = [
  '/',
  '/kooperation',
  '/mitgliedsstaedte',
  '/mitgliedsstaedte/bochum',
  '/mitgliedsstaedte/hagen',
  '/themen',
  '/gremien',
  '/publikationen',
  '/anmelden?weiter=%2Fbereich',
  '/en/',
  '/en/kooperation',
  '/en/mitgliedsstaedte',
  '/en/mitgliedsstaedte/bottrop',
  '/en/anmelden',
  '/suche?q=Integration',
  '/en/suche?q=Hagen',
  '/zahlen',
  '/zahlen/staff',
  '/en/zahlen/population',
  '/zahlen/staedte/bochum',
  '/en/zahlen/staedte/hagen',
];

// Pages behind a login, with an account that may see them (a key of USERS).
export const PROTECTED_PAGES = [
  ['/bereich', 'office'],
  ['/konto/passwort', 'office'],
  ['/staedte/bochum/intern', 'bochumEntry'],
  ['/verwaltung/benutzer', 'admin'],
  ['/verwaltung/benutzer/neu', 'admin'],
  ['/verwaltung/staedte', 'admin'],
  ['/verwaltung/staedte/bochum', 'admin'],
  ['/verwaltung/protokoll', 'office'],
  ['/verwaltung/berichte', 'office'],
  ['/verwaltung/pruefregeln', 'office'],
  ['/staedte/bochum/monitoring', 'bochumEntry'],
  ['/staedte/bochum/monitoring/2024', 'bochumEntry'],
  ['/staedte/bochum/monitoring/import', 'bochumEntry'],
];

// Pages that answer with a client error on purpose, with the status expected (null: any 4xx).
export const ERROR_PAGES = [
  ['/gibt-es-nicht', 404],
  ['/en/does-not-exist', 404],
  ['/einladung/ungueltiges-token', null],
];
