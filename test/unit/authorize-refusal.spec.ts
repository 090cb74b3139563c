import { expect, test } from '@playwright/test';
import { loadCatalogueOrThrow } from '../../src/catalogue/load.ts';
import { descriptorOf } from '../../src/environment/resolve.ts';
import { callbackProbeSummary, type AuthorizeProbe } from '../../src/oidc/authorize-response.ts';
import { REPO } from '../helpers/temp-project.ts';

// What `env check` and the gate's auth-session pack say when the IdP refuses the app's callback: the
// setting to check, by what the IdP's words name. Gate runs prove the unknown client
// (gate/client-unknown) and the unregistered callback (gate/callback-unregistered); these, the rest.

const catalogue = loadCatalogueOrThrow(REPO);
const demo = descriptorOf(catalogue.environments.get('demo')!);

function refused(refusal: string, status = 400): AuthorizeProbe {
  const redirectUri = 'https://app.example/auth/callback';
  return {
    clientId: 'gpuaas-app',
    redirectUri,
    status,
    accepted: false,
    redirectedToClient: false,
    refusal,
    summary: `IdP refused redirect_uri ${redirectUri} for client gpuaas-app (HTTP ${status}): ${refusal}`,
  };
}

test('an accepted callback is the IdP answer alone', () => {
  const probe = { ...refused(''), accepted: true, refusal: undefined, summary: 'IdP accepted it (HTTP 200)' };
  expect(callbackProbeSummary(probe, demo)).toBe('IdP accepted it (HTTP 200)');
});

test('words naming neither client nor callback (an empty 403): both, each where it is set', () => {
  expect(callbackProbeSummary(refused('(empty page)', 403), demo)).toBe(
    'IdP refused redirect_uri https://app.example/auth/callback for client gpuaas-app (HTTP 403): (empty page); ' +
      "check oidc.client_id in environments/demo.yaml (PACKGATE_DEMO_CLIENT_ID) is the app's client id at the IdP, " +
      'and the IdP registers https://app.example/auth/callback as a redirect URI of client gpuaas-app, ' +
      'or set oidc.redirect_path in environments/demo.yaml to the callback it registers',
  );
});

test('a callback set by oidc.redirect_uri is named with its env var', () => {
  const value = { ...demo.value, oidc: { ...demo.value.oidc, redirectUri: { env: 'ACME_CALLBACK' } } };
  expect(callbackProbeSummary(refused('Invalid parameter: redirect_uri'), { ...demo, value })).toMatch(
    /; check the IdP registers https:\/\/app\.example\/auth\/callback as a redirect URI of client gpuaas-app, or set oidc\.redirect_uri in environments\/demo\.yaml \(ACME_CALLBACK\) to the callback it registers$/,
  );
});

test('refused scopes: oidc.scopes, with the scopes asked for', () => {
  expect(callbackProbeSummary(refused('invalid_scope: Invalid scopes: openid profile email'), demo)).toMatch(
    /; check oidc\.scopes in environments\/demo\.yaml \(openid profile email\) are scopes the IdP grants client gpuaas-app$/,
  );
});
