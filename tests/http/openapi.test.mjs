// The API answers as its OpenAPI document (GET /api/v1/openapi.json) says: every documented
// operation is served, every answer's status is documented for it, and every JSON body is valid
// against the schema documented for that status. The schemas forbid additional properties, so a
// field that is added to or renamed in an answer without updating api/openapi.json fails here.
// In the other direction, every /api/v1 route in the server's route table must be documented,
// and every API answer, errors included, is JSON.
//
// Validation uses Debian's node-ajv (ajv 6, JSON Schema draft-07; apt package node-ajv). Its
// dependencies lie beside it in /usr/share/nodejs, which Debian's Node.js searches and others
// only when NODE_PATH names it (scripts/test.sh sets it).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { ROOT, USERS, startServer } from './harness.mjs';

const require = createRequire(import.meta.url);
const AJV_PATH = '/usr/share/nodejs/ajv';

function loadAjv() {
  try {
    return require(AJV_PATH);
  } catch (error) {
    throw new Error(`cannot load ${AJV_PATH} (${error.message.split('\n')[0]}): install the ` +
      'Debian package node-ajv (scripts/setup-deps.sh does) and run with ' +
      'NODE_PATH=/usr/share/nodejs unless Node.js is Debian\'s own');
  }
}

const DOCUMENT_URL = '/api/v1/openapi.json';
// The schema id the document is registered under, so that its "#/components/…" references
// resolve inside it.
const DOCUMENT_ID = 'https://interkommunal.invalid/api/v1/openapi.json';
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

let server;
let documentBody;
let ajv;
before(async () => {
  server = await startServer();
  const response = await server.client().get(DOCUMENT_URL);
  assert.equal(response.status, 200, `${DOCUMENT_URL}: ${response.body.slice(0, 200)}`);
  assert.match(response.headers['content-type'] ?? '', /^application\/json\b/);
  documentBody = JSON.parse(response.body);
  const Ajv = loadAjv();
  ajv = new Ajv({ allErrors: true, verbose: true });
  ajv.addSchema(documentBody, DOCUMENT_ID);
});
after(() => server?.stop());

// [path as in the document, method, operation] for every operation of the document.
function operations() {
  return Object.entries(documentBody.paths).flatMap(([template, item]) =>
    METHODS.filter((method) => item[method]).map((method) => [template, method, item[method]]));
}

function apiPath(template) {
  const base = documentBody.servers?.[0]?.url ?? '';
  return `${base.replace(/\/$/, '')}${template}`;
}

// A JSON pointer into the document, "~" and "/" escaped as RFC 6901 says.
function pointer(...segments) {
  return `#/${segments.map((segment) => String(segment).replaceAll('~', '~0').replaceAll('/', '~1'))
    .join('/')}`;
}

function allowsAnonymous(operation) {
  const security = operation.security ?? documentBody.security ?? [];
  return security.length === 0 || security.some((requirement) => Object.keys(requirement).length === 0);
}

/**
 * Asserts that `response` to `method template` is documented: its status (or "default") is a
 * documented response, its Content-Type one of that response's media types, and its body valid
 * against the media type's schema.
 */
function assertDocumented(response, template, method, what) {
  const documented = documentBody.paths[template][method].responses;
  const status = String(response.status);
  const key = status in documented ? status : 'default';
  assert.ok(key in documented, `${what}: status ${status} is not documented ` +
    `(documented: ${Object.keys(documented).join(', ')}); body: ${response.body.slice(0, 200)}`);
  const content = documented[key].content ?? {};
  const contentType = (response.headers['content-type'] ?? '').split(';')[0].trim();
  assert.ok(contentType in content, `${what}: Content-Type "${contentType}" is not documented for ` +
    `${status} (documented: ${Object.keys(content).join(', ') || 'none'})`);
  const schema = content[contentType].schema;
  if (!schema) return;
  const body = JSON.parse(response.body);
  const validate = ajv.getSchema(`${DOCUMENT_ID}${pointer('paths', template, method, 'responses',
    key, 'content', contentType, 'schema')}`);
  assert.ok(validate, `${what}: the document's schema for ${status} cannot be compiled`);
  const valid = validate(body);
  const errors = (validate.errors ?? []).slice(0, 10).map((error) =>
    `  ${error.dataPath || '(body)'} ${error.message}` +
    (error.params?.additionalProperty ? `: "${error.params.additionalProperty}"` : ''));
  assert.ok(valid, `${what}: the body does not match the document's schema for ${status}:\n` +
    `${errors.join('\n')}\nbody: ${JSON.stringify(body).slice(0, 400)}`);
}

/**
 * Fills the path parameters of `template` with values that exist: {name} in ".../things/{name}"
 * is taken from the first item of ".../things", which the document must list as well.
 */
async function samplePath(template, client) {
  let filled = template;
  for (const [placeholder, name] of template.matchAll(/\{([^}]+)\}/g)) {
    const parent = filled.slice(0, filled.indexOf(placeholder)).replace(/\/$/, '');
    assert.ok(documentBody.paths[parent]?.get,
      `${template}: no sample for {${name}}: the document has no GET ${parent} to take one from`);
    const list = await client.get(apiPath(parent));
    assert.equal(list.status, 200, `GET ${parent} (for a sample ${name}): ${list.status}`);
    const value = JSON.parse(list.body).items?.[0]?.[name];
    assert.ok(value !== undefined && value !== null,
      `${template}: the first item of GET ${parent} has no "${name}" to use as a sample`);
    filled = filled.replace(placeholder, encodeURIComponent(String(value)));
  }
  return filled;
}

// A client signed in through the login form, and a personal API key of the same person.
async function signedIn(account) {
  const client = server.client();
  const login = await client.login(account);
  assert.equal(login.status, 303, `login as ${account.username}: ${login.status}`);
  return client;
}

async function apiKey(client) {
  const created = await client.submit('/konto/api-schluessel', { bezeichnung: 'OpenAPI-Test' });
  assert.ok([200, 201].includes(created.status), `creating an API key: ${created.status}`);
  const key = /<pre\b[^>]*class="token-display"[^>]*>\s*([^<\s]+)\s*</.exec(created.body)?.[1];
  assert.ok(key, 'the page shows no new API key (pre.token-display)');
  return key;
}

test('the served document is api/openapi.json, OpenAPI 3.1, with schemas that forbid extra fields', () => {
  const source = JSON.parse(fs.readFileSync(path.join(ROOT, 'api/openapi.json'), 'utf8'));
  assert.deepEqual(documentBody, source, 'the server serves another document than api/openapi.json');
  assert.match(documentBody.openapi, /^3\.1\./);
  assert.ok(operations().length > 0, 'the document has no operations');

  // Without additionalProperties: false an added field would pass unnoticed.
  const lax = [];
  const visit = (node, where) => {
    if (Array.isArray(node)) {
      node.forEach((child, index) => visit(child, `${where}/${index}`));
      return;
    }
    if (node === null || typeof node !== 'object') return;
    if (node.properties && typeof node.properties === 'object' && node.additionalProperties !== false) {
      lax.push(where);
    }
    for (const [key, child] of Object.entries(node)) visit(child, `${where}/${key}`);
  };
  visit(documentBody.paths, '#/paths');
  visit(documentBody.components?.schemas ?? {}, '#/components/schemas');
  assert.deepEqual(lax, [], 'object schemas without "additionalProperties": false');
});

test('every documented operation answers as documented, anonymously or signed in', async (t) => {
  const anonymous = server.client();
  const accounts = new Map();
  for (const [template, method, operation] of operations()) {
    await t.test(`${method.toUpperCase()} ${template}`, async () => {
      assert.equal(method, 'get', 'only GET operations can be checked without side effects here');
      const target = apiPath(await samplePath(template, anonymous));
      const response = await anonymous.get(target);
      if (allowsAnonymous(operation)) {
        assert.equal(response.status, 200, `${target}: ${response.body.slice(0, 200)}`);
        assertDocumented(response, template, method, `GET ${target}`);
        return;
      }
      assert.equal(response.status, 401, `${target} without a session or key`);
      assertDocumented(response, template, method, `GET ${target} (anonymous)`);
      // Every kind of account, so role-dependent fields (e.g. a role's city) are all seen.
      for (const [name, account] of Object.entries(USERS)) {
        if (!accounts.has(name)) accounts.set(name, await signedIn(account));
        const answer = await accounts.get(name).get(target);
        assert.equal(answer.status, 200, `${target} as ${name}: ${answer.body.slice(0, 200)}`);
        assertDocumented(answer, template, method, `GET ${target} as ${name}`);
      }
    });
  }
});

test('an operation that needs a session also takes a personal API key, and no forged one', async () => {
  const protectedOperations = operations().filter(([, , operation]) => !allowsAnonymous(operation));
  const keyed = protectedOperations.filter(([, , operation]) =>
    (operation.security ?? []).some((requirement) => 'token' in requirement));
  if (keyed.length === 0) return;
  const owner = await signedIn(USERS.bochumEntry);
  const key = await apiKey(owner);
  const bare = server.client();
  for (const [template, method] of keyed) {
    const target = apiPath(await samplePath(template, bare));
    const response = await bare.get(target, { headers: { Authorization: `Bearer ${key}` } });
    assert.equal(response.status, 200, `${target} with an API key: ${response.body.slice(0, 200)}`);
    assertDocumented(response, template, method, `GET ${target} with an API key`);
    const forged = await bare.get(target, { headers: { Authorization: `Bearer ${key}x` } });
    assert.equal(forged.status, 401, `${target} with a forged API key`);
    assertDocumented(forged, template, method, `GET ${target} with a forged API key`);
  }
});

test('documented 404 answers: an unknown path parameter gives the documented error', async () => {
  const client = server.client();
  for (const [template, method, operation] of operations()) {
    if (!template.includes('{') || !operation.responses['404']) continue;
    const target = apiPath(template.replace(/\{[^}]+\}/g, 'gibt-es-nicht'));
    const response = await client.get(target);
    assert.equal(response.status, 404, target);
    assertDocumented(response, template, method, `GET ${target}`);
  }
});

// The server's route table (src/app/routes.cpp): { Method::get, "/api/v1/…", … }.
function serverApiRoutes() {
  const source = fs.readFileSync(path.join(ROOT, 'src/app/routes.cpp'), 'utf8');
  return [...source.matchAll(/\{\s*Method::(\w+)\s*,\s*"(\/api\/v1\/[^"]*)"/g)]
    .map(([, method, route]) => [method.toLowerCase(), route]);
}

test('every /api/v1 route of the server is in the document', () => {
  const routes = serverApiRoutes();
  assert.ok(routes.length > 0, 'found no /api/v1 routes in src/app/routes.cpp: did its format change?');
  const base = documentBody.servers?.[0]?.url ?? '';
  const missing = routes.filter(([method, route]) =>
    !documentBody.paths[route.slice(base.length)]?.[method]);
  assert.deepEqual(missing, [], 'routes the document does not describe');
});

test('every API route answers with JSON, also for errors', async () => {
  const client = server.client();
  const targets = new Map();
  for (const [method, route] of serverApiRoutes()) {
    const target = route.replace(/\{[^}]+\}/g, 'gibt-es-nicht');
    targets.set(`${method.toUpperCase()} ${target}`, [method.toUpperCase(), target]);
    // The same route with a method it does not have.
    const other = method === 'get' ? 'DELETE' : 'GET';
    targets.set(`${other} ${target}`, [other, target]);
  }
  targets.set('GET /api/v1/gibt-es-nicht', ['GET', '/api/v1/gibt-es-nicht']);
  targets.set('GET /api/v2/cities', ['GET', '/api/v2/cities']);
  const errorSchema = ajv.getSchema(`${DOCUMENT_ID}${pointer('components', 'schemas', 'Error')}`);
  assert.ok(errorSchema, 'the document has no components/schemas/Error');
  for (const [what, [method, target]] of targets) {
    const response = await client.request(method, target);
    assert.match(response.headers['content-type'] ?? '', /^application\/(problem\+)?json\b/,
      `${what}: ${response.status} ${response.headers['content-type']}`);
    const body = JSON.parse(response.body);
    if (response.status >= 400) {
      assert.ok(errorSchema(body), `${what}: ${response.status} body is not an Error: ${response.body}`);
      assert.equal(body.error.status, response.status, `${what}: error.status`);
    }
  }
});
