// The OAuth 2.0 authorization server of the OAuth tests: oidc-provider on
// 127.0.0.1, an ephemeral port. Prints `URL <issuer>` once it listens; stops
// when its stdin closes (tests/session holds it open for the whole run).
//
// Clients:
// - `outbound-test`: public (no secret), native, loopback redirect on any port,
//   PKCE S256 required, authorization code, device code and refresh tokens.
// - `smtp-peer`: confidential, for the SMTP peer's token introspection
//   (tests/peers/smtp_peer.py --oauth-introspect), secret from OIDC_PEER_SECRET.
// - `dovecot`: confidential, for Dovecot's `passdb oauth2` of the mail stack
//   (tests/peers/mailstack, introspection_mode = post), secret from
//   OIDC_DOVECOT_SECRET.
//
// Accounts and the mail stack's users: Dovecot takes a token for the user the
// introspection's `email` names (username_attribute = email), so every access
// token carries `email` (oidc-provider returns extra token claims in its
// introspection). The account `tester` is u20@outbound.test; a sign-in whose
// authorization URL carries `login_hint=uNN@outbound.test` (a test's browser
// adds it) signs in that user instead, so tests sharing the stack keep their
// own mailboxes.
//
// The device flow (RFC 8628): oidc-provider 9 sends no `interval` and never
// `slow_down`, so this peer does both: `interval` 1 s, the first poll of every
// device code answered `slow_down` (a server under load may, RFC 8628 §3.5),
// and a poll sooner than the interval after that (1 + 5 s) refused with
// `access_denied` (a client that ignores slow_down fails instead of passing).
//
// The user's login and consent: every interaction is finished at once for the
// account `tester` or the one login_hint names (what a user clicking "Allow" would do), so the tests' browser
// only follows redirects and submits the device flow's forms.
import Provider from 'oidc-provider';
import http from 'node:http';
import * as querystring from 'node:querystring';

const ACCOUNT = 'tester';
const ACCOUNT_EMAIL = 'u20@outbound.test';
const peerSecret = process.env.OIDC_PEER_SECRET || 'smtp-peer-secret';
const dovecotSecret = process.env.OIDC_DOVECOT_SECRET || 'dovecot-secret';
// The mail stack's address an account signs in as.
const emailOf = (accountId) => (/^[a-z0-9]+@outbound\.test$/.test(accountId) ? accountId : ACCOUNT_EMAIL);
// The account a sign-in is for: the mail stack's user login_hint names, else `tester`.
const accountFor = (params) =>
  typeof params.login_hint === 'string' && /^[a-z0-9]+@outbound\.test$/.test(params.login_hint)
    ? params.login_hint
    : ACCOUNT;

const server = http.createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'outbound-test',
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      redirect_uris: ['http://127.0.0.1/'],
      response_types: ['code'],
      grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
    },
    {
      client_id: 'smtp-peer',
      client_secret: peerSecret,
      redirect_uris: [],
      response_types: [],
      grant_types: [],
    },
    {
      client_id: 'dovecot',
      client_secret: dovecotSecret,
      redirect_uris: [],
      response_types: [],
      grant_types: [],
    },
  ],
  pkce: { required: () => true },
  scopes: ['openid', 'offline_access'],
  features: {
    devInteractions: { enabled: false },
    deviceFlow: {
      enabled: true,
      // Bare forms: the tests' browser reads the hidden fields and submits them.
      userCodeInputSource: async (ctx, form, out, err) => {
        ctx.body = `<!DOCTYPE html><html><body>${err ? '<p>error</p>' : ''}${form}</body></html>`;
      },
      userCodeConfirmSource: async (ctx, form) => {
        ctx.body = `<!DOCTYPE html><html><body>${form}</body></html>`;
      },
      successSource: async (ctx) => {
        ctx.body = '<!DOCTYPE html><html><body><p>signed in</p></body></html>';
      },
    },
    introspection: { enabled: true },
    revocation: { enabled: true },
  },
  // A refresh token whenever the client may use one (the real providers do so
  // for offline_access / their mail scopes).
  issueRefreshToken: async (ctx, client) => client.grantTypeAllowed('refresh_token'),
  // Rotation off: a refresh keeps the same refresh token, like Microsoft and Google.
  rotateRefreshToken: false,
  ttl: {
    AccessToken: 600,
    AuthorizationCode: 60,
    DeviceCode: 120,
    RefreshToken: 3600,
    Grant: 3600,
    Interaction: 600,
    Session: 3600,
  },
  findAccount: async (ctx, id) => ({ accountId: id, claims: async () => ({ sub: id, email: emailOf(id) }) }),
  // In the introspection's answer: what Dovecot's username_attribute reads.
  extraTokenClaims: async (ctx, token) =>
    token.kind === 'AccessToken' && token.accountId ? { email: emailOf(token.accountId) } : undefined,
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  cookies: { keys: ['outbound-test-cookie-key'] },
});
// Plain http on loopback is what the tests need; oidc-provider otherwise
// insists on a secure context for its cookies.
provider.proxy = false;

const DEVICE_INTERVAL = 1;
const polls = new Map(); // device_code -> { at: ms of the last poll, interval: s }

provider.use(async (ctx, next) => {
  if (ctx.method === 'POST' && ctx.path === '/device/auth') {
    await next();
    if (ctx.status === 200 && ctx.body && ctx.body.device_code) ctx.body.interval = DEVICE_INTERVAL;
    return;
  }
  if (ctx.method !== 'POST' || ctx.path !== '/token') return next();
  const chunks = [];
  for await (const chunk of ctx.req) chunks.push(chunk);
  ctx.req.body = querystring.parse(Buffer.concat(chunks).toString());
  const code = ctx.req.body.device_code;
  if (ctx.req.body.grant_type !== 'urn:ietf:params:oauth:grant-type:device_code' || !code) return next();
  const now = Date.now();
  const seen = polls.get(code);
  const answer = (error, description) => {
    ctx.status = 400;
    ctx.set('cache-control', 'no-store');
    ctx.body = { error, error_description: description };
  };
  if (!seen) {
    polls.set(code, { at: now, interval: DEVICE_INTERVAL + 5 });
    return answer('slow_down', 'the test peer always asks the first poll to slow down');
  }
  if (now - seen.at < seen.interval * 1000) {
    return answer('access_denied', `polled after ${now - seen.at} ms, interval is ${seen.interval} s`);
  }
  seen.at = now;
  return next();
});

provider.use(async (ctx, next) => {
  const match = ctx.path.match(/^\/interaction\/([^/]+)$/);
  if (!match || ctx.method !== 'GET') return next();
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  const { prompt, params } = details;
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId: accountFor(params), clientId: params.client_id });
  if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
  if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(prompt.details.missingResourceScopes || {})) {
    grant.addResourceScope(indicator, scopes.join(' '));
  }
  const grantId = await grant.save();
  const target = await provider.interactionResult(ctx.req, ctx.res, {
    login: { accountId: grant.accountId },
    consent: { grantId },
  }, { mergeWithLastSubmission: false });
  ctx.status = 303;
  ctx.redirect(target);
});

server.on('request', provider.callback());
console.log(`URL ${issuer}`);
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
