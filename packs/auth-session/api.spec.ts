import { expect, refuses, SIGNED_OUT, test } from './pack.gen.ts';
import { callbackFromIdp, hasAppSession, idpSessionOnly, idTokenOnSession } from './journey.ts';

// The app's side of the sign-in without a browser driving it: what it asks the IdP for, and that its
// callback cannot be forged, tampered with or replayed. The IdP's side is idp-contract.spec.ts.

test(
  "the app's sign-in asks for a code with PKCE S256, for its registered callback",
  SIGNED_OUT,
  async ({ api, env, oidc }) => {
    const start = await api.get(`${env.urls.app}${env.oidc.loginPath}`);
    expect(start.status(), 'starting sign-in redirects to the IdP').toBe(302);
    const authorize = new URL(start.headers()['location']);
    const { authorization_endpoint } = await oidc.discovery();
    expect(`${authorize.origin}${authorize.pathname}`, 'it goes to the IdP authorization endpoint').toBe(
      authorization_endpoint,
    );
    const params = Object.fromEntries(authorize.searchParams);
    expect(params).toMatchObject({
      client_id: env.oidc.clientId,
      redirect_uri: env.oidc.redirectUri,
      response_type: 'code',
      code_challenge_method: 'S256',
    });
    expect(params.state, 'a state to bind the callback to this browser').toBeTruthy();
    expect(params.code_challenge, 'a PKCE challenge').toBeTruthy();
  },
);

test("the ID token is signed with a key the IdP's JWKS publishes", async ({
  newRequestContext,
  oidc,
  env,
  session,
}) => {
  test.skip(
    !env.oidc.clientSecretName,
    `${env.file} shares no client secret (oidc.client_secret): only the app can redeem codes`,
  );
  const jar = await idpSessionOnly(newRequestContext, session);
  const { header, kids } = await idTokenOnSession(jar, oidc, env.secrets.get(env.oidc.clientSecretName!));
  expect(header.kid, 'the ID token names its signing key').toBeTruthy();
  expect(kids, `the JWKS publishes the ID token's key "${header.kid}"`).toContain(header.kid);
});

test(
  'a callback with a tampered state creates no session',
  refuses('tampered-state'),
  async ({ newRequestContext, env, pack, session }) => {
    const jar = await idpSessionOnly(newRequestContext, session);
    const callback = await callbackFromIdp(jar, `${env.urls.app}${env.oidc.loginPath}`, env.oidc.redirectUri);
    callback.searchParams.set('state', `${callback.searchParams.get('state')}-tampered`);
    const answer = await jar.get(callback.href, { maxRedirects: 0 });
    expect(answer.status(), 'the app refuses the callback').toBeGreaterThanOrEqual(400);
    expect(await hasAppSession(jar, pack.url('shell')), 'no session was created').toBe(false);
  },
);

test(
  'a replayed callback creates no session',
  refuses('replayed-callback'),
  async ({ newRequestContext, env, pack, session }) => {
    const first = await idpSessionOnly(newRequestContext, session);
    const callback = await callbackFromIdp(first, `${env.urls.app}${env.oidc.loginPath}`, env.oidc.redirectUri);
    await first.get(callback.href, { maxRedirects: 0 });
    expect(await hasAppSession(first, pack.url('shell')), 'the genuine callback signs the browser in').toBe(true);
    const replayer = await idpSessionOnly(newRequestContext, session);
    const replay = await replayer.get(callback.href, { maxRedirects: 0 });
    expect(replay.status(), 'the app refuses the replayed callback').toBeGreaterThanOrEqual(400);
    expect(await hasAppSession(replayer, pack.url('shell')), 'the replay created no session').toBe(false);
  },
);

test(
  "a signed-out session's cookie opens nothing",
  refuses('signed-out-session'),
  async ({ newRequestContext, env, pack, session }) => {
    // A session of its own, on the IdP's: signing the worker's session out would end it for every test after.
    const jar = await idpSessionOnly(newRequestContext, session);
    const callback = await callbackFromIdp(jar, `${env.urls.app}${env.oidc.loginPath}`, env.oidc.redirectUri);
    await jar.get(callback.href, { maxRedirects: 0 });
    const me = await jar.get(pack.url('me'));
    expect(me.status(), 'the fresh session reaches the API').toBe(200);
    const kept = await jar.storageState();
    const signOut = await jar.get(pack.url('logout'), { maxRedirects: 0 });
    expect(signOut.status(), 'signing out answers').toBeLessThan(400);
    // Whoever kept the cookie (a shared computer, a stolen copy) sends it after the sign-out.
    const keeper = await newRequestContext({ storageState: kept });
    const refused = await keeper.get(pack.url('me'), { maxRedirects: 0 });
    expect(refused.status(), 'the signed-out session is refused').toBe(401);
    expect(await refused.text(), 'nothing of the user in the answer').not.toContain(session.user.email);
    expect(await hasAppSession(keeper, pack.url('shell')), 'nor does it open the shell').toBe(false);
  },
);

test("the worker's session reaches the app's API as the signed-in user", async ({ userApi, pack, session }) => {
  const me = await userApi.json<{ username: string }>(pack.url('me'));
  expect(me.username).toBe(session.user.username);
});
