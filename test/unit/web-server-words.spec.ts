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
