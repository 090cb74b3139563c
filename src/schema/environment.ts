import { z } from 'zod';
import {
  envValueSchema,
  envVarNameSchema,
  environmentKindSchema,
  filledList,
  idSchema,
  keySchema,
  layerSchema,
  pathRefSchema,
  policySchema,
  releaseStages,
  schemaVersionSchema,
  stageSchema,
} from './common.ts';
import { renamed } from './renamed.ts';

const formSelectorsSchema = z.strictObject({
  username: z.string().min(1),
  password: z.string().min(1),
  submit: z.string().min(1),
  /** Anything the IdP shows instead of the form or after a refused submit. */
  error: z.string().min(1).optional(),
});

const selectorSchema = z.string().min(1);

/**
 * One step of a sign-in at the IdP's pages: fill a field with the account's user name, email or
 * password; click; or wait for something to show. An `optional` step is taken only when it shows
 * up (a "Continue" interstitial, consent, "Stay signed in?", an account picker), whenever it does.
 */
export const signInStepSchema = z.union([
  z.strictObject({
    fill: selectorSchema,
    with: z.enum(['username', 'email', 'password']),
    optional: z.boolean().default(false),
  }),
  z.strictObject({ click: selectorSchema, optional: z.boolean().default(false) }),
  renamed(z.strictObject({ wait_for: selectorSchema }), { wait_for: 'waitFor' }),
]);
export type SignInStepSpec = z.output<typeof signInStepSchema>;

/**
 * How a journey signs in at the IdP's pages. `keycloak` knows Keycloak's form; `form` takes its
 * selectors; `steps` is any sequence (identifier-first, interstitials, consent) as data.
 * @example { driver: keycloak }
 * @example { driver: form, selectors: { username: "#user", password: "#pass", submit: "button[type=submit]" } }
 * @example { driver: steps, error: ".alert-error", steps: [{ fill: "#username", with: username }, { click: "#next" },
 *   { fill: "#password", with: password }, { click: "#sign-in" }, { click: "#continue", optional: true }] }
 */
export const loginDriverSchema = z.discriminatedUnion('driver', [
  z.strictObject({ driver: z.literal('keycloak') }),
  z.strictObject({ driver: z.literal('form'), selectors: formSelectorsSchema }),
  z.strictObject({
    driver: z.literal('steps'),
    steps: filledList(
      signInStepSchema,
      'list the steps of the sign-in, e.g. [{ fill: "#username", with: username }, { fill: "#password", with: password }, { click: "#sign-in" }]',
    )
      // An empty list is said once, as empty (its example fills the password).
      .refine(steps => !steps.length || steps.some(s => 'fill' in s && s.with === 'password' && !s.optional), {
        error: 'a sign-in needs a step that fills the password, e.g. { fill: "#password", with: password }',
      }),
    /** Where the IdP shows a refusal (bad credentials, a refused request); its text is quoted. */
    error: selectorSchema.optional(),
  }),
]);
export type LoginDriver = z.infer<typeof loginDriverSchema>;

/** A secret is only ever named: the env var that holds it. `generate` (dev stage only) makes a local one. */
export const secretRefSchema = z.strictObject(
  {
    env: envVarNameSchema,
    /** When the env var is unset, generate a value once and keep it in `.packgate/` (dev stage only). */
    generate: z.boolean().default(false),
  },
  {
    // Not "expected object, got <the value>": a password written here was printed back in every lint.
    error: issue =>
      issue.code === 'invalid_type'
        ? 'a secret is never written in the descriptor: name the env var that holds it, { env: NAME }'
        : undefined,
  },
);

/**
 * A seed persona's account in this environment, where it differs from the seed: the deployment's
 * test account has its own user name (and display name, email, password secret). Each value may
 * come from an env var.
 * @example { username: { env: DEMO_ADA_USERNAME, default: ada.lovelace }, password_secret: ada-password }
 */
const identitySchema = renamed(
  z.strictObject({
    username: envValueSchema.optional(),
    name: envValueSchema.optional(),
    email: envValueSchema.optional(),
    /** The secret (under `secrets:`) holding the account's password. */
    password_secret: idSchema.optional(),
  }),
  { password_secret: 'passwordSecret' },
);
export type MappedIdentity = z.output<typeof identitySchema>;

/**
 * Where the app shows who is signed in, for journeys that check it: an element whose text holds
 * the account's user name; an API path whose JSON field holds it (the app's /me); or `none`, when
 * the app shows it nowhere: the check is then reported as not applicable, never passed.
 * @example { selector: "[data-testid=user-identity]" }
 * @example { api: { base: api, path: /v1/me }, field: username }
 */
export const identityCheckSchema = z.union([
  z.literal('none'),
  z.strictObject({ selector: selectorSchema }),
  z.strictObject({
    api: pathRefSchema,
    /** The JSON field holding the user name, dotted for nested ones (`user.preferred_username`). */
    field: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/, {
      error: 'must be a JSON field name, dotted for nested ones, e.g. "username" or "user.login"',
    }),
  }),
]);
export type IdentityCheck = z.output<typeof identityCheckSchema>;

const packOverrideSchema = z.strictObject({
  paths: z.record(keySchema, pathRefSchema).default({}),
  selectors: z.record(keySchema, z.string().min(1)).default({}),
});

/** The longest `answer_timeout_s`: five minutes covers a cold start; a longer silence is a deployment down. */
const ANSWER_TIMEOUT_MAX_S = 300;

/** The descriptor's `urls:` fields that code names otherwise (the rest keep their names). */
export const URL_NAMES = { auth_issuer: 'authIssuer', access_log: 'accessLog' } as const;

const urlsSchema = renamed(
  z.strictObject({
    app: envValueSchema,
    auth_issuer: envValueSchema,
    /** The product's API, where packs call it directly. A path (`/api`) is on the app's URL. */
    api: envValueSchema.optional(),
    /** The platform proxy's own base, where workloads are reached on another host than the app. */
    proxy: envValueSchema.optional(),
    /**
     * Where the platform proxy's access log can be queried (`?correlation_id=...&trace_id=...`
     * answering `{ lines: [...] }`), when the environment exposes it; packs that read it need it.
     * A path (`/__stack/access-log`) is on the app's URL, as for `api` and `proxy`.
     */
    access_log: envValueSchema.optional(),
  }),
  URL_NAMES,
);

const oidcSchema = renamed(
  z.strictObject({
    client_id: envValueSchema,
    /** Path of the app's callback; the registered redirect URI is the app URL plus this path. */
    redirect_path: z
      .string()
      .startsWith('/', { error: 'must be an absolute path starting with "/"' })
      .default('/auth/callback'),
    /** The registered redirect URI when it is not the app URL plus redirect_path. */
    redirect_uri: envValueSchema.optional(),
    /**
     * The name of the secret (under `secrets:`) holding the app's client secret, where the gate may
     * redeem codes as the app itself (the embedded stack); deployments leave it out.
     */
    client_secret: idSchema.optional(),
    /** Where a browser journey starts its sign-in. */
    login_path: z.string().startsWith('/', { error: 'must be an absolute path starting with "/"' }).default('/login'),
    scopes: filledList(
      z.string().min(1),
      'list the scopes the sign-in asks for, e.g. [openid, profile, email], or remove the field for those',
    ).default(['openid', 'profile', 'email']),
    login: loginDriverSchema.prefault({ driver: 'keycloak' }),
    /** How long one step of a sign-in may take before it fails with the step named, in seconds. */
    step_timeout_s: z.number().positive().max(120).default(10),
  }),
  {
    client_id: 'clientId',
    redirect_path: 'redirectPath',
    redirect_uri: 'redirectUri',
    // A secret's name, not its value: the value is looked up only when a journey asks for it.
    client_secret: 'clientSecretName',
    login_path: 'loginPath',
    step_timeout_s: 'stepTimeoutS',
  },
);

/** How to start the stack (embedded and parity environments). */
const stackSchema = renamed(
  z.strictObject({
    command: z.string().min(1),
    ready_path: z.string().startsWith('/').default('/__stack/ready'),
    /**
     * Where the runner probes readiness (ready_path is put on it), when not on the app's URL: a stack
     * in deployment shape answers its probe on plain HTTP on loopback, as a kubelet probes a pod.
     */
    ready_url: envValueSchema.optional(),
    start_timeout_s: z.number().positive().max(600).default(30),
  }),
  { ready_path: 'readyPath', ready_url: 'readyUrl', start_timeout_s: 'startTimeoutS' },
);

/**
 * How the run reaches the environment's https hosts. `ca_file`: a CA (PEM, relative to the root)
 * trusted besides the system's, by the browsers and the API clients alike: a private CA (a cluster's
 * cert-manager root, a stack's generated one) without ever turning certificate checks off.
 */
const tlsSchema = renamed(z.strictObject({ ca_file: envValueSchema }), { ca_file: 'caFile' });

/** How the environment's gate judges, where it differs from its stage's defaults (see gateRules). */
const gateSchema = renamed(
  z.strictObject({
    /** Whether a pack that passed only on retry blocks. Default: block on prod, warn elsewhere. */
    flaky: z.enum(['block', 'warn']).optional(),
    /**
     * Whether every pack targeting this environment must run: one the run leaves out is NOT_RUN.
     * Default: true on release stages.
     */
    require_all_packs: z.boolean().optional(),
    /**
     * Retries per test. Default 1: flakiness shows, and a failure's retry records its trace
     * (with 0, every test records one so failures keep it, which slows passing runs).
     */
    retries: z.number().int().min(0).max(5).optional(),
  }),
  { require_all_packs: 'requireAllPacks' },
);

/**
 * Where and how the packs run: a deployed environment, or the embedded stack.
 * Authored as `environments/<name>.yaml`; parsed into camelCase fields, every problem still
 * reported at the file's own (snake_case) field path.
 */
export const environmentSchema = renamed(
  z.strictObject({
    schema_version: schemaVersionSchema.optional(),
    name: idSchema,
    stage: stageSchema,
    kind: environmentKindSchema,
    description: z.string().optional(),
    /** Whether `npx playwright test` without `--project` runs this environment. Default: embedded ones only. */
    run_by_default: z.boolean().optional(),
    urls: urlsSchema,
    /**
     * How long each URL may take to answer at all, in seconds, before `packgate env check` and a run
     * against a deployment say it does not answer: raise it for a deployment that is slow to start
     * (one scaled to zero, a cold serverless start). A run waits this long once, for every URL at once.
     */
    answer_timeout_s: z
      .number()
      .positive({ error: 'must be more than 0 seconds, e.g. 30 for a deployment slow to start' })
      .max(ANSWER_TIMEOUT_MAX_S, {
        error: `must be at most ${ANSWER_TIMEOUT_MAX_S} seconds: a deployment that takes longer to answer is down`,
      })
      .default(10),
    /** Plain-HTTP URLs are refused unless this is true (dev stage only). */
    allow_http: z.boolean().default(false),
    oidc: oidcSchema,
    /** Seed personas (by seed user id) mapped to this environment's accounts, where they differ. */
    identities: z.record(idSchema, identitySchema).prefault({}),
    /**
     * Seed personas this deployment has no test account for: the checks that sign in as one are not
     * applicable here (listed so in the verdict), and its secret is not needed. Said here, never
     * inferred from an unset env var: a secret the descriptor names but the run lacks fails the tests
     * that sign in with it, naming the variable.
     * @example [grace]
     */
    no_account_for: z.array(idSchema).default([]),
    /** Where the app shows who is signed in. Default: nowhere known, so that check is not applicable. */
    identity_check: identityCheckSchema.default('none'),
    /** Secrets by name (seed users refer to them), each an env var reference. */
    secrets: z.record(idSchema, secretRefSchema).default({}),
    layers: filledList(layerSchema, 'list the layers the packs run at here, e.g. [api, browser]'),
    seeds: z.array(idSchema).default([]),
    /** apply: the embedded stack loads the seeds; verify: they must already exist in the deployment. */
    seed_strategy: z.enum(['apply', 'verify']),
    /**
     * For `verify`: where the deployment lists each record kind, read as the pack's identity, so a
     * missing record is found once, before the packs that read it run (they are NOT_RUN, saying so).
     * The API answers a JSON object whose `items` field is an array of records with an `id`.
     * @example { nodes: { api: { base: api, path: /v1/nodes }, items: nodes } }
     */
    seed_check: z
      .record(
        idSchema,
        z.strictObject({
          api: pathRefSchema,
          items: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'must be a JSON field name, e.g. "nodes"' }),
        }),
      )
      .default({}),
    stack: stackSchema.optional(),
    tls: tlsSchema.optional(),
    gate: gateSchema.prefault({}),
    /** Response headers whose values are collected as correlation evidence, compared lower-case. */
    correlation_headers: z
      .array(z.string().min(1))
      .transform(headers => headers.map(h => h.toLowerCase()))
      .prefault(['x-correlation-id', 'x-request-id']),
    /**
     * Which packs run here beyond what their policies say. By default every pack whose policy names
     * this environment's stage (and whose `kinds` allow this kind) runs.
     */
    packs: z
      .strictObject({
        /** Packs to run although their policy does not name this stage, each with the policy it has here. */
        include: z.array(z.strictObject({ pack: idSchema, policy: policySchema })).default([]),
        /** Packs not to run here, each with the reason; the verdict lists them, never silently. */
        exclude: z.array(z.strictObject({ pack: idSchema, reason: z.string().min(1) })).default([]),
      })
      .default({ include: [], exclude: [] }),
    /** Per-pack overrides of paths and selectors, keyed by pack id. */
    overrides: z.record(idSchema, packOverrideSchema).default({}),
  }),
  {
    schema_version: 'schemaVersion',
    run_by_default: 'runByDefault',
    answer_timeout_s: 'answerTimeoutS',
    allow_http: 'allowHttp',
    no_account_for: 'noAccountFor',
    identity_check: 'identityCheck',
    seed_strategy: 'seedStrategy',
    seed_check: 'seedCheck',
    correlation_headers: 'correlationHeaders',
  },
).superRefine((env, ctx) => {
  // Paths are the file's fields: these are problems in it.
  const release = releaseStages.has(env.stage);
  if ((env.kind === 'embedded' || env.kind === 'parity') && !env.stack)
    ctx.addIssue({
      code: 'custom',
      path: ['stack'],
      message: `a ${env.kind} environment needs "stack.command" to start its stack`,
    });
  if (env.kind === 'remote' && env.stack)
    ctx.addIssue({
      code: 'custom',
      path: ['stack'],
      message: 'a remote environment is deployed, not started: remove "stack"',
    });
  if (release && env.allowHttp)
    ctx.addIssue({
      code: 'custom',
      path: ['allow_http'],
      message: `stage ${env.stage} must use https; allow_http is for the dev stage only`,
    });
  if (release && env.gate.requireAllPacks === false)
    ctx.addIssue({
      code: 'custom',
      path: ['gate', 'require_all_packs'],
      message: `stage ${env.stage} releases: every pack it targets must run`,
    });
  if (env.stage === 'prod' && env.gate.flaky === 'warn')
    ctx.addIssue({ code: 'custom', path: ['gate', 'flaky'], message: 'stage prod must block on flaky packs' });
  if (env.seedStrategy !== 'verify' && Object.keys(env.seedCheck).length)
    ctx.addIssue({
      code: 'custom',
      path: ['seed_check'],
      message: 'seed_check is read only with seed_strategy: verify (an applied seed is there by construction)',
    });
  for (const [name, ref] of Object.entries(env.secrets)) {
    if (ref.generate && env.stage !== 'dev')
      ctx.addIssue({
        code: 'custom',
        path: ['secrets', name, 'generate'],
        message: `stage ${env.stage} must take secrets from its env vars; "generate" is for the dev stage only`,
      });
  }
});

export type Environment = z.output<typeof environmentSchema>;
