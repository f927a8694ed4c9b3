// Operating the platform: configuration errors, backups, running behind a reverse proxy, e-mail
// invitations through SMTP, and a database that is locked or goes away.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { BINARY, ROOT, USERS, startServer } from './harness.mjs';

const DATABASE = process.env.IK_TEST_DATABASE ?? 'sqlite';

// Runs the CLI; resolves to { code, stdout, stderr } whatever the exit status.
function cli(args, { env = {} } = {}) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('IK_')));
  return new Promise((resolve) => {
    execFile(BINARY, args, { cwd: ROOT, env: { ...clean, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? error.code : 0, stdout, stderr }));
  });
}

function run(command, args) {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: 30_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(' ')}: ${stderr || error.message}`));
      else resolve(stdout);
    });
  });
}

const psql = (sql) => run('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d',
  process.env.IK_TEST_POSTGRES_URL, '-c', sql]);

const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

function tempFile(name, content) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ik-ops-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

test('check-config names every bad key in German and exits with status 2', async () => {
  const file = tempFile('bad.toml', '[server]\nport = "achtzig"\nunbekannt = 1\n[database]\nurl = ""\n');
  const result = await cli(['check-config', '--config', file]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /server\.port: muss eine ganze Zahl von 0 bis 65535 sein/);
  assert.match(result.stderr, /server\.unbekannt: ist kein bekannter Schlüssel/);
  assert.match(result.stderr, /database\.url: darf nicht leer sein/);
  assert.equal(result.stdout, '');
});

test('an environment override is checked like the file and named with its variable', async () => {
  const result = await cli(['check-config'], { env: { IK_SERVER_PORT: '99999' } });
  assert.equal(result.code, 2);
  assert.match(result.stderr, /server\.port \(IK_SERVER_PORT\): muss eine ganze Zahl/);
  const fine = await cli(['check-config'], { env: { IK_SERVER_PORT: '9090' } });
  assert.equal(fine.code, 0);
  assert.match(fine.stdout, /Die Konfiguration ist in Ordnung/);
});

test('serve refuses to start with an invalid configuration', async () => {
  const file = tempFile('broken.toml', '[server\nport = 1\n');
  const result = await cli(['serve', '--config', file]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /Zeile 1/);
  assert.doesNotMatch(result.stdout, /läuft auf/);
});

test('backup writes a consistent copy of the running database', async () => {
  const server = await startServer();
  try {
    const client = server.client();
    assert.equal((await client.login(USERS.office)).status, 303);
    const target = path.join(server.dir, 'sicherung.bak');
    const result = await cli(['backup', '--config', path.join(server.dir, 'interkommunal.toml'),
      '--to', target]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Sicherung geschrieben/);
    if (DATABASE === 'sqlite') {
      assert.equal((await run('sqlite3', [target, 'PRAGMA integrity_check;'])).trim(), 'ok');
      assert.equal((await run('sqlite3', [target, 'SELECT COUNT(*) FROM city;'])).trim(), '10');
      assert.equal((await run('sqlite3', [target,
        "SELECT COUNT(*) FROM audit_log WHERE action = 'session.sign_in';"])).trim(), '1');
    } else {
      const dump = fs.readFileSync(target, 'utf8');
      assert.match(dump, /CREATE TABLE public\.city/);
      assert.match(dump, /Mülheim an der Ruhr/);
    }
  } finally {
    await server.stop();
  }
});

test('behind a trusted proxy, scheme and client come from the forwarding headers', async () => {
  const server = await startServer({ users: false,
    config: { server: { trusted_proxies: ['127.0.0.1'] } } });
  try {
    const client = server.client();
    const secure = await client.get('/anmelden', { headers: { 'x-forwarded-proto': 'https' } });
    assert.match(secure.headers['strict-transport-security'] ?? '', /max-age=\d+/);
    const csrf = secure.setCookies.find((cookie) => cookie.name === 'ik_csrf');
    assert.ok(csrf?.attributes.get('secure'), 'cookies are Secure behind TLS');
    const remote = await client.get('/metrics', { headers: { 'x-forwarded-for': '203.0.113.7' } });
    assert.equal(remote.status, 404, 'the forwarded client is not an allowed metrics client');
    const local = await client.get('/metrics');
    assert.equal(local.status, 200);
  } finally {
    await server.stop();
  }
});

test('without a trusted proxy, forwarding headers are ignored', async () => {
  const server = await startServer({ users: false });
  try {
    const client = server.client();
    const page = await client.get('/anmelden', { headers: { 'x-forwarded-proto': 'https' } });
    assert.equal(page.headers['strict-transport-security'], undefined);
    const csrf = page.setCookies.find((cookie) => cookie.name === 'ik_csrf');
    assert.equal(csrf?.attributes.get('secure'), undefined);
    const metrics = await client.get('/metrics', { headers: { 'x-forwarded-for': '203.0.113.7' } });
    assert.equal(metrics.status, 200, 'the real peer (127.0.0.1) counts');
  } finally {
    await server.stop();
  }
});

// A minimal SMTP server that accepts every message and keeps it.
function fakeSmtpServer() {
  const messages = [];
  const server = net.createServer((socket) => {
    socket.setEncoding('utf8');
    let buffer = '';
    let inData = false;
    let data = '';
    socket.write('220 test ESMTP\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk;
      let newline;
      while ((newline = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            messages.push(data);
            data = '';
            socket.write('250 queued\r\n');
          } else {
            data += `${line}\n`;
          }
        } else if (/^(EHLO|HELO)/i.test(line)) {
          socket.write('250 test\r\n');
        } else if (/^DATA/i.test(line)) {
          inData = true;
          socket.write('354 go on\r\n');
        } else if (/^QUIT/i.test(line)) {
          socket.end('221 bye\r\n');
        } else {
          socket.write('250 ok\r\n');
        }
      }
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ server, messages, port: server.address().port }));
  });
}

test('an invitation is mailed through SMTP and its link sets the password once', async () => {
  const smtp = await fakeSmtpServer();
  const server = await startServer({ config: { mail: {
    smtp_url: `smtp://127.0.0.1:${smtp.port}`, from: 'noreply@interkommunal.example', require_tls: false,
  } } });
  try {
    const admin = server.client();
    assert.equal((await admin.login(USERS.admin)).status, 303);
    const created = await admin.submit('/verwaltung/benutzer/neu', {
      benutzername: 'hanna.hagen', anzeigename: 'Hanna Hagen', email: 'hanna@hagen.example',
      rolle_city_entry: '1', stadt_city_entry: 'hagen',
    });
    assert.equal(created.status, 201, created.body);
    assert.match(created.body, /per E-Mail an hanna@hagen\.example gesendet/);
    assert.doesNotMatch(created.body, /\/einladung\//, 'a mailed link is not shown on the page');
    assert.equal(smtp.messages.length, 1);
    const mail = smtp.messages[0];
    assert.match(mail, /^To: <hanna@hagen\.example>$/m);
    assert.match(mail, /^Subject: =\?UTF-8\?B\?/m);
    assert.match(mail, /Guten Tag Hanna Hagen/);
    const link = /http:\/\/\S+(\/einladung\/[0-9a-f]{64})/.exec(mail);
    assert.ok(link, mail);
    const invited = server.client();
    const password = 'Ein sicheres Passwort 2026';
    const accepted = await invited.submit(link[1], { passwort_neu: password, passwort_wiederholung: password });
    assert.equal(accepted.status, 200);
    assert.equal((await invited.get(link[1])).status, 404, 'the link works once');
    const login = await invited.login({ username: 'hanna.hagen' }, { password });
    assert.equal(login.status, 303);
    assert.equal((await invited.get('/staedte/hagen/intern')).status, 200);
    assert.equal((await invited.get('/staedte/essen/intern')).status, 403);
  } finally {
    await server.stop();
    smtp.server.close();
  }
});

test('a database that is locked or gone gives 503 with Retry-After, and the server recovers',
  async () => {
    const server = await startServer();
    try {
      const client = server.client();
      assert.equal((await client.get('/')).status, 200);
      let release;
      if (DATABASE === 'sqlite') {
        // Another process holds the write lock longer than the server's busy timeout.
        const file = server.db.url.replace(/^sqlite:/, '');
        const holder = spawn('sqlite3', [file], { stdio: ['pipe', 'pipe', 'pipe'] });
        holder.stdin.write('BEGIN EXCLUSIVE;\nSELECT \'locked\';\n');
        await new Promise((resolve) => { holder.stdout.once('data', resolve); });
        release = async () => {
          holder.stdin.end('COMMIT;\n');
          await new Promise((resolve) => { holder.on('exit', resolve); });
        };
        // Signing in writes a session: it waits for the lock, then gives up.
        const refused = await client.login(USERS.office);
        assert.equal(refused.status, 503);
        assert.equal(refused.headers['retry-after'], '30');
        assert.match(refused.body, /Datenbank ist gerade nicht erreichbar/);
        assert.doesNotMatch(refused.body, /sqlite|SQLITE|locked/);
      } else {
        await psql(`ALTER DATABASE "${server.db.name}" ALLOW_CONNECTIONS false`);
        await psql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${server.db.name}'`);
        release = () => psql(`ALTER DATABASE "${server.db.name}" ALLOW_CONNECTIONS true`);
        // Public pages may still come from the few seconds' memory of rendered pages and
        // cooperation data; signing in must ask the database.
        const refused = await client.login(USERS.office);
        assert.equal(refused.status, 503);
        assert.equal(refused.headers['retry-after'], '30');
        assert.match(refused.body, /Datenbank ist gerade nicht erreichbar/);
        assert.doesNotMatch(refused.body, /postgres|FATAL|connection/i);
        assert.equal((await client.get('/readyz')).status, 503);
      }
      assert.equal((await client.get('/healthz')).status, 200, 'the server itself keeps running');
      await release();
      let status = 0;
      for (let attempt = 0; attempt < 20 && status !== 200; attempt += 1) {
        status = (await client.get('/readyz')).status;
        if (status !== 200) await sleep(250);
      }
      assert.equal(status, 200);
      assert.equal((await client.get('/')).status, 200);
      assert.equal((await client.login(USERS.office)).status, 303);
    } finally {
      await server.stop();
    }
  });

