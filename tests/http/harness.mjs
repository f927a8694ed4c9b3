// Integration-test harness: runs the real `interkommunal` binary on a free port against a fresh
// database (SQLite in a temp dir, or a new PostgreSQL database when IK_TEST_DATABASE=postgres)
// with one account per kind of user, and talks to it over HTTP like a browser would.
//
//   const server = await startServer();          // in before()
//   const client = server.client();
//   await client.login(USERS.office);
//   const page = await client.get('/bereich');
//   await server.stop();                          // in after(); asserts exit status 0
//
// Environment: IK_TEST_DATABASE (sqlite | postgres, default sqlite), IK_TEST_POSTGRES_URL (the
// server scripts/with-postgres.sh starts; a database per startServer() is created on it and
// dropped afterwards), IK_BINARY (default build/release/src/app/interkommunal),
// IK_TEST_KEEP=1 keeps the temp dir. Server output is saved in test-results/server-logs/.
import { execFile, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BINARY =
  process.env.IK_BINARY ?? path.join(ROOT, 'build/release/src/app/interkommunal');

const LISTENING_LINE = /^Interkommunal läuft auf (http:\/\/\S+\/)\s*$/;
const ONE_TIME_PASSWORD_LINE = /^Einmal-Passwort für admin: (\S+)\s*$/;
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;

function testPassword() {
  return `Test-${crypto.randomBytes(12).toString('base64url')}-9`;
}

// One account per kind of user. Passwords are new for every test process.
export const USERS = Object.freeze({
  admin: user('admin', 'Ada Administratorin', 'admin'),
  office: user('geschaeftsstelle', 'Gesa Geschäftsstelle', 'office'),
  bochumEntry: user('bochum-erfassung', 'Bernd Bochum', 'city_entry', 'bochum'),
  bochumApproval: user('bochum-freigabe', 'Berta Bochum', 'city_approval', 'bochum'),
  dortmundApproval: user('dortmund-freigabe', 'Doris Dortmund', 'city_approval', 'dortmund'),
  steering: user('regiegruppe', 'Rita Regiegruppe', 'steering_group'),
  project: user('projektgruppe', 'Paul Projektgruppe', 'project_group'),
});

export function user(username, name, role, city = null) {
  return Object.freeze({ username, name, role, city, email: `${username}@example.org`,
    password: testPassword() });
}

// ---------------------------------------------------------------------------------------------
// Server lifecycle

/**
 * Starts a server on a new database. Options:
 *   database: 'sqlite' | 'postgres' (default: IK_TEST_DATABASE or 'sqlite')
 *   users:    create USERS before the first start (default true); with false the server's first
 *             start creates the admin itself and prints its one-time password
 *   config:   extra TOML settings, e.g. { sessions: { idle_timeout_minutes: 1 } }
 */
export async function startServer({ database = process.env.IK_TEST_DATABASE ?? 'sqlite',
  users = true, config = {} } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ik-test-'));
  const varDir = path.join(dir, 'var');
  fs.mkdirSync(varDir);
  const db = await createDatabase(database, varDir);
  const configFile = path.join(dir, 'interkommunal.toml');
  fs.writeFileSync(configFile, toToml(mergeConfig({
    server: { address: '127.0.0.1', port: 0, threads: 2 },
    database: { url: db.url, pool_size: 4 },
    paths: { migrations: path.join(ROOT, 'migrations'), assets: path.join(ROOT, 'build/assets'),
      var: varDir },
    log: { level: 'info' },
  }, config)));

  const cli = (args, input) => runCli([...args, '--config', configFile], input);
  try {
    if (users) {
      await cli(['migrate']);
      for (const account of Object.values(USERS)) await createUser(cli, account);
    }
    const server = await spawnServer(configFile, dir, db);
    server.cli = cli;
    return server;
  } catch (error) {
    await db.drop().catch(() => {});
    cleanUp(dir);
    throw error;
  }
}

async function createUser(cli, account) {
  const args = ['create-user', '--username', account.username, '--name', account.name,
    '--email', account.email, '--role', account.role, '--password-stdin'];
  if (account.city) args.push('--city', account.city);
  await cli(args, `${account.password}\n`);
}

function spawnServer(configFile, dir, db) {
  const logFile = serverLogPath(db.kind);
  const log = fs.createWriteStream(logFile);
  const child = spawn(BINARY, ['serve', '--config', configFile],
    { cwd: ROOT, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);

  const output = [];
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  let oneTimePassword = null;

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not print "läuft auf" within ${START_TIMEOUT_MS} ms\n` +
        tail(output)));
    }, START_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot start ${BINARY}: ${error.message}`));
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`server exited early (code ${code}, signal ${signal})\n${tail(output)}`));
    });
    const onLine = (line) => {
      output.push(line);
      log.write(`${line}\n`);
      const password = ONE_TIME_PASSWORD_LINE.exec(line);
      if (password) oneTimePassword = password[1];
      const listening = LISTENING_LINE.exec(line);
      if (!listening) return;
      clearTimeout(timer);
      resolve(new Server({ child, exited, output, baseUrl: listening[1], oneTimePassword, dir,
        db, log, killOnExit }));
    };
    forEachLine(child.stdout, onLine);
    forEachLine(child.stderr, onLine);
  });
}

class Server {
  constructor({ child, exited, output, baseUrl, oneTimePassword, dir, db, log, killOnExit }) {
    Object.assign(this, { child, exited, output, baseUrl, oneTimePassword, dir, db });
    this.log = log;
    this.killOnExit = killOnExit;
    this.port = Number(new URL(baseUrl).port);
    this.stopped = false;
  }

  url(target) {
    return new URL(target, this.baseUrl).href;
  }

  // Creates an account that only the calling test needs (made like USERS, through the CLI on
  // the running server's database; see user() for the fields).
  createUser(account) {
    return createUser(this.cli, account);
  }

  client() {
    return new Client(this.baseUrl);
  }

  // Sends SIGTERM, waits for the exit, then removes the database and temp dir. Throws unless
  // the server exited by itself with status 0.
  async stop() {
    if (this.stopped) return;
    this.stopped = true;
    this.child.kill('SIGTERM');
    const timeout = new Promise((resolve) => {
      setTimeout(() => resolve(null), STOP_TIMEOUT_MS).unref();
    });
    const result = await Promise.race([this.exited, timeout]);
    if (result === null) this.child.kill('SIGKILL');
    await this.exited;
    process.off('exit', this.killOnExit);
    this.log.end();
    await this.db.drop();
    cleanUp(this.dir);
    if (result === null) {
      throw new Error(`server did not stop within ${STOP_TIMEOUT_MS} ms of SIGTERM\n` +
        tail(this.output));
    }
    if (result.code !== 0) {
      throw new Error(`server exited with code ${result.code}, signal ${result.signal} after ` +
        `SIGTERM\n${tail(this.output)}`);
    }
  }
}

function runCli(args, input) {
  return new Promise((resolve, reject) => {
    const child = execFile(BINARY, args, { cwd: ROOT, env: childEnv(), timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`interkommunal ${args.join(' ')} failed: ${error.message}\n` +
            `${stdout}${stderr}`));
        } else {
          resolve({ stdout, stderr });
        }
      });
    child.stdin.end(input ?? '');
  });
}

// The server gets its settings only from the config file the harness writes: IK_* variables of
// the surrounding shell would override them.
function childEnv() {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('IK_')));
}

function serverLogPath(kind) {
  const dir = path.join(ROOT, 'test-results', 'server-logs');
  fs.mkdirSync(dir, { recursive: true });
  const testFile = path.basename(process.argv[1] ?? 'test', '.mjs');
  return path.join(dir, `${testFile}.${kind}.${process.pid}.${Date.now()}.log`);
}

function forEachLine(stream, onLine) {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    pending += chunk;
    let newline;
    while ((newline = pending.indexOf('\n')) >= 0) {
      onLine(pending.slice(0, newline));
      pending = pending.slice(newline + 1);
    }
  });
  stream.on('end', () => {
    if (pending) onLine(pending);
  });
}

function tail(lines, count = 40) {
  return `--- server output (last ${count} lines) ---\n${lines.slice(-count).join('\n')}`;
}

function cleanUp(dir) {
  if (process.env.IK_TEST_KEEP !== '1') fs.rmSync(dir, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------
// Databases

async function createDatabase(kind, varDir) {
  if (kind === 'sqlite') {
    return { kind, url: `sqlite:${path.join(varDir, 'interkommunal.db')}`, drop: async () => {} };
  }
  if (kind !== 'postgres') throw new Error(`IK_TEST_DATABASE must be sqlite or postgres, not ${kind}`);
  const serverUrl = process.env.IK_TEST_POSTGRES_URL;
  if (!serverUrl) {
    throw new Error('IK_TEST_DATABASE=postgres needs IK_TEST_POSTGRES_URL ' +
      '(run the tests through scripts/with-postgres.sh)');
  }
  const name = `ik_test_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  await psql(serverUrl, `CREATE DATABASE "${name}"`);
  return {
    kind,
    name,
    url: withDatabaseName(serverUrl, name),
    drop: () => psql(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

// Points a libpq connection string (key=value form or postgresql:// URI) at another database.
export function withDatabaseName(connection, name) {
  if (/^postgres(ql)?:\/\//.test(connection)) {
    const url = new URL(connection);
    url.pathname = `/${name}`;
    return url.href;
  }
  if (/(^|\s)dbname=\S*/.test(connection)) {
    return connection.replace(/(^|\s)dbname=\S*/, `$1dbname=${name}`);
  }
  return `${connection} dbname=${name}`;
}

function psql(connection, sql) {
  return new Promise((resolve, reject) => {
    execFile('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', connection, '-c', sql],
      { timeout: 30_000 }, (error, stdout, stderr) => {
        if (error) reject(new Error(`psql "${sql}" failed: ${stderr || error.message}`));
        else resolve(stdout);
      });
  });
}

// ---------------------------------------------------------------------------------------------
// Configuration

function mergeConfig(base, extra) {
  const merged = structuredClone(base);
  for (const [section, values] of Object.entries(extra)) {
    merged[section] = { ...(merged[section] ?? {}), ...values };
  }
  return merged;
}

function toToml(config) {
  const value = (item) => {
    if (Array.isArray(item)) return `[${item.map(value).join(', ')}]`;
    if (typeof item === 'string') return JSON.stringify(item);
    return String(item);
  };
  return Object.entries(config).map(([section, values]) =>
    `[${section}]\n${Object.entries(values).map(([key, item]) => `${key} = ${value(item)}`)
      .join('\n')}\n`).join('\n');
}

// ---------------------------------------------------------------------------------------------
// HTTP client with a cookie jar, like a browser without JavaScript

export class Client {
  constructor(baseUrl) {
    this.baseUrl = baseUrl;
    this.cookies = new Map();
  }

  get(target, options = {}) {
    return this.request('GET', target, options);
  }

  post(target, options = {}) {
    return this.request('POST', target, options);
  }

  /**
   * One request, no redirects followed. options: headers, body (string | Buffer),
   * form (object → application/x-www-form-urlencoded), json (object), cookies (false: send none).
   * Resolves to { status, headers, setCookies, location, body }.
   */
  request(method, target, { headers = {}, body, form, json, cookies = true } = {}) {
    const url = new URL(target, this.baseUrl);
    const outgoing = { ...lowerCaseKeys(headers) };
    let payload = body;
    if (form !== undefined) {
      payload = new URLSearchParams(form).toString();
      outgoing['content-type'] ??= 'application/x-www-form-urlencoded';
    } else if (json !== undefined) {
      payload = JSON.stringify(json);
      outgoing['content-type'] ??= 'application/json';
    }
    if (payload !== undefined) outgoing['content-length'] = Buffer.byteLength(payload);
    if (cookies && this.cookies.size > 0 && outgoing.cookie === undefined) {
      outgoing.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    }
    return new Promise((resolve, reject) => {
      const request = http.request(url, { method, headers: outgoing, agent: false }, (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => {
          const setCookies = (response.headers['set-cookie'] ?? []).map(parseSetCookie);
          for (const cookie of setCookies) this.store(cookie);
          resolve({
            status: response.statusCode,
            headers: response.headers,
            setCookies,
            location: response.headers.location ?? null,
            body: Buffer.concat(chunks).toString('utf8'),
          });
        });
        response.on('error', reject);
      });
      request.on('error', reject);
      request.end(payload);
    });
  }

  store(cookie) {
    const maxAge = cookie.attributes.get('max-age');
    const expires = cookie.attributes.get('expires');
    const expired = (maxAge !== undefined && Number(maxAge) <= 0) ||
      (typeof expires === 'string' && Date.parse(expires) <= Date.now());
    if (expired || cookie.value === '') this.cookies.delete(cookie.name);
    else this.cookies.set(cookie.name, cookie.value);
  }

  // GETs `target` and returns the csrf_token of its (first) form.
  async csrfToken(target) {
    const page = await this.get(target);
    const token = csrfTokenIn(page.body);
    if (token === null) throw new Error(`no csrf_token in the page at ${target} (${page.status})`);
    return token;
  }

  // Submits `target`'s form: fetches the page for its csrf_token, then POSTs `fields` to it.
  async submit(target, fields, { action = target } = {}) {
    const token = await this.csrfToken(target);
    return this.post(action, { form: { ...fields, csrf_token: token } });
  }

  // Signs in through the login form. Resolves to the POST's response (303 on success).
  login(account, { weiter = '/bereich', password = account.password } = {}) {
    return this.submit(`/anmelden?weiter=${encodeURIComponent(weiter)}`,
      { benutzername: account.username, passwort: password, weiter }, { action: '/anmelden' });
  }

  // Signs out with the logout form's token (taken from the signed-in start page).
  logout() {
    return this.submit('/bereich', {}, { action: '/abmelden' });
  }
}

function lowerCaseKeys(object) {
  return Object.fromEntries(Object.entries(object).map(([key, value]) => [key.toLowerCase(), value]));
}

// "name=value; HttpOnly; SameSite=Lax" → { name, value, attributes: Map(lower-case name → value
// or true), raw }
export function parseSetCookie(raw) {
  const [pair, ...parts] = raw.split(';');
  const separator = pair.indexOf('=');
  const attributes = new Map();
  for (const part of parts) {
    const equals = part.indexOf('=');
    const key = (equals < 0 ? part : part.slice(0, equals)).trim().toLowerCase();
    if (key) attributes.set(key, equals < 0 ? true : part.slice(equals + 1).trim());
  }
  return { name: pair.slice(0, separator).trim(), value: pair.slice(separator + 1).trim(),
    attributes, raw };
}

// The value of the first <input name="csrf_token"> in `html`, or null.
export function csrfTokenIn(html) {
  for (const tag of html.match(/<input\b[^>]*>/gi) ?? []) {
    const attributes = attributesOf(tag);
    if (attributes.get('name') === 'csrf_token') return attributes.get('value') ?? '';
  }
  return null;
}

export function attributesOf(tag) {
  const attributes = new Map();
  const pattern = /([^\s"'<>\/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
  const inner = tag.replace(/^<\s*[^\s>]+/, '').replace(/\/?>$/, '');
  for (const match of inner.matchAll(pattern)) {
    attributes.set(match[1].toLowerCase(), decodeEntities(match[2] ?? match[3] ?? match[4] ?? ''));
  }
  return attributes;
}

export function decodeEntities(text) {
  const named = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (entity, code) => {
    if (code[0] === '#') {
      const number = code[1] === 'x' || code[1] === 'X' ? parseInt(code.slice(2), 16)
        : parseInt(code.slice(1), 10);
      return String.fromCodePoint(number);
    }
    return named[code.toLowerCase()] ?? entity;
  });
}

// ---------------------------------------------------------------------------------------------
// Raw sockets, for requests no HTTP client would send

/**
 * Writes `chunks` (strings or Buffers) to a new connection and collects the answer until the
 * server closes the connection or `timeoutMs` passes. Write errors (the server closed while we
 * were still sending) are tolerated: what was received is what counts.
 * Resolves to { text, status (number or null), closedByServer, timedOut }.
 */
export function rawRequest(port, chunks, { timeoutMs = 5_000, host = '127.0.0.1' } = {}) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const received = [];
    let timedOut = false;
    let closedByServer = false;
    const timer = setTimeout(() => {
      timedOut = true;
      socket.destroy();
    }, timeoutMs);
    socket.on('connect', async () => {
      for (const chunk of [chunks].flat()) {
        if (socket.destroyed) break;
        if (!socket.write(chunk)) {
          await new Promise((drained) => {
            socket.once('drain', drained);
            socket.once('close', drained);
          });
        }
      }
    });
    socket.on('data', (data) => received.push(data));
    socket.on('end', () => {
      closedByServer = true;
    });
    socket.on('error', () => {
      closedByServer = !timedOut;
    });
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(received).toString('latin1');
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({ text, status: status ? Number(status[1]) : null, closedByServer, timedOut });
    });
  });
}
