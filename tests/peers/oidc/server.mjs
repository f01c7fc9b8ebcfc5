// The OAuth 2.0 authorization server of the OAuth tests: oidc-provider on
// 127.0.0.1, an ephemeral port. Prints `URL <issuer>` once it listens; stops
// when its stdin closes (tests/session holds it open for the whole run).
//
// Clients:
// - `outbound-test`: public (no secret), native, loopback redirect on any port,
//   PKCE S256 required, authorization code, device code and refresh tokens.
// - `smtp-peer`: confidential, for the SMTP peer's token introspection
//   (tests/peers/smtp_peer.py --oauth-introspect), secret from OIDC_PEER_SECRET.
//
// The user's login and consent: every interaction is finished at once for the
// account `tester` (what a user clicking "Allow" would do), so the tests' browser
// only follows redirects and submits the device flow's forms.
import Provider from 'oidc-provider';
import http from 'node:http';

const ACCOUNT = 'tester';
const peerSecret = process.env.OIDC_PEER_SECRET || 'smtp-peer-secret';

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
  findAccount: async (ctx, id) => ({ accountId: id, claims: async () => ({ sub: id }) }),
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  cookies: { keys: ['outbound-test-cookie-key'] },
});
// Plain http on loopback is what the tests need; oidc-provider otherwise
// insists on a secure context for its cookies.
provider.proxy = false;

provider.use(async (ctx, next) => {
  const match = ctx.path.match(/^\/interaction\/([^/]+)$/);
  if (!match || ctx.method !== 'GET') return next();
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  const { prompt, params } = details;
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId: ACCOUNT, clientId: params.client_id });
  if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
  if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(prompt.details.missingResourceScopes || {})) {
    grant.addResourceScope(indicator, scopes.join(' '));
  }
  const grantId = await grant.save();
  const target = await provider.interactionResult(ctx.req, ctx.res, {
    login: { accountId: ACCOUNT },
    consent: { grantId },
  }, { mergeWithLastSubmission: false });
  ctx.status = 303;
  ctx.redirect(target);
});

server.on('request', provider.callback());
console.log(`URL ${issuer}`);
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
