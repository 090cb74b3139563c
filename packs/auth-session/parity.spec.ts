// What only a deployment-shaped stack can get wrong about the session: its cookie on https.
import { expect, test } from './pack.gen.ts';

test('on https the app sets its cookies Secure and HttpOnly, shared only within its own domain', async ({
  page,
  pack,
  urls,
}) => {
  // The page is signed in: the session cookie is in the browser, as the app set it.
  await page.goto(pack.url('shell'));
  const app = new URL(urls.app('/'));
  expect(app.protocol, 'this check is about an https app').toBe('https:');
  const cookies = await page.context().cookies(app.href);
  expect(cookies.length, 'the signed-in browser holds the app session').toBeGreaterThan(0);
  for (const cookie of cookies) {
    expect(cookie.secure, `cookie ${cookie.name} is Secure: never sent over plain HTTP`).toBe(true);
    expect(cookie.httpOnly, `cookie ${cookie.name} is HttpOnly: no script reads it`).toBe(true);
    expect(['Lax', 'Strict'], `cookie ${cookie.name} is not sent on cross-site subrequests`).toContain(cookie.sameSite);
    // Host-only, or shared with the app's parent domain (its api and notebooks hosts): never wider.
    const parent = app.hostname.split('.').slice(1).join('.');
    expect([app.hostname, `.${parent}`], `cookie ${cookie.name}'s domain`).toContain(cookie.domain);
  }
});
