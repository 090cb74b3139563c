import { expect, test } from '@playwright/test';
import { WebServerWords } from '../../src/gate/web-server-words.ts';

const NOT_STARTED = 'Process from config.webServer was not able to start. Exit code: 1';
/** As Playwright hands a reporter a server's stderr: each line prefixed with its name, dimmed. */
const said = (server: string, text: string) =>
  text
    .split('\n')
    .map(line => `\u001b[2m[${server}] \u001b[22m${line}`)
    .join('\n');

test("a web server that did not start is explained by the last server's message and its hint", () => {
  const words = new WebServerWords();
  words.take(said('stack:parity', 'packgate stack "parity": warming up'));
  words.take(
    said(
      'stack:local',
      'packgate stack "local": cannot start the IdP at http://127.0.0.1:4411: port 4411 on 127.0.0.1 is already in use.\n' +
        '  Another packgate stack may be running there.\n' +
        '  hint: stop that process, or move it to a free port with PACKGATE_LOCAL_ISSUER_URL=http://127.0.0.1:<free-port>\n',
    ),
  );
  expect(words.explain(NOT_STARTED)).toBe(
    `${NOT_STARTED}; stack:local said: packgate stack "local": cannot start the IdP at http://127.0.0.1:4411: ` +
      'port 4411 on 127.0.0.1 is already in use. ' +
      '(hint: stop that process, or move it to a free port with PACKGATE_LOCAL_ISSUER_URL=http://127.0.0.1:<free-port>)',
  );
});

test("a crash is explained by its error, not by a stack frame or Node's version line", () => {
  const words = new WebServerWords();
  words.take(
    said(
      'stack:local',
      'file:///stack/main.js:3\n    throw new Error("boom")\n    ^\n\nError: boom\n    at main (file:///stack/main.js:3:11)\n\nNode.js v20.18.0\n',
    ),
  );
  expect(words.explain(NOT_STARTED)).toBe(`${NOT_STARTED}; stack:local said: Error: boom`);
});

test('other run errors, and a server that said nothing, are left as they are', () => {
  const words = new WebServerWords();
  expect(words.explain(NOT_STARTED)).toBe(NOT_STARTED);
  words.take(said('stack:local', 'packgate stack "local": slow start'));
  expect(words.explain('Error in packs/a.spec.ts: unexpected token')).toBe(
    'Error in packs/a.spec.ts: unexpected token',
  );
  // Output of a test's own, or unprefixed, is not a server's.
  const quiet = new WebServerWords();
  quiet.take('a line without a prefix\n');
  expect(quiet.explain(NOT_STARTED)).toBe(NOT_STARTED);
});

test("a crash by a Node error with properties is explained by its error, not by the properties' closing brace", () => {
  // As Node prints an unhandled 'error' event (a port taken) and a thrown error with a cause: a
  // trace, then the error's own fields in braces after it, and more than twenty lines in all.
  const eaddrinuse = new WebServerWords();
  eaddrinuse.take(
    said(
      'stack:local',
      [
        'packgate stack "local": starting',
        'node:events:502',
        "      throw er; // Unhandled 'error' event",
        '      ^',
        '',
        'Error: listen EADDRINUSE: address already in use 127.0.0.1:4410',
        '    at Server.setupListenHandle [as _listen2] (node:net:1908:16)',
        '    at listenInCluster (node:net:1965:12)',
        '    at doListen (node:net:2139:7)',
        '    at process.processTicksAndRejections (node:internal/process/task_queues:83:21)',
        "Emitted 'error' event on Server instance at:",
        '    at emitErrorNT (node:net:1944:8)',
        '    at emitErrorCloseNT (node:net:1924:3)',
        '    at emitCloseNT (node:net:1918:3)',
        '    at process.processTicksAndRejections (node:internal/process/task_queues:82:21) {',
        "  code: 'EADDRINUSE',",
        '  errno: -98,',
        "  syscall: 'listen',",
        "  address: '127.0.0.1',",
        '  port: 4410',
        '}',
        '',
        'Node.js v20.20.2',
        '',
      ].join('\n'),
    ),
  );
  expect(eaddrinuse.explain(NOT_STARTED)).toBe(
    `${NOT_STARTED}; stack:local said: Error: listen EADDRINUSE: address already in use 127.0.0.1:4410`,
  );

  const caused = new WebServerWords();
  caused.take(
    said(
      'stack:local',
      'file:///stack/main.js:1\nthrow new Error("outer", { cause })\n      ^\n\nError: cannot load seeds\n' +
        '    at file:///stack/main.js:1:7 {\n  [cause]: Error: ENOENT: no such file\n      at open (node:fs:1:1)\n}\n\nNode.js v20.20.2\n',
    ),
  );
  expect(caused.explain(NOT_STARTED)).toBe(`${NOT_STARTED}; stack:local said: Error: cannot load seeds`);
});
