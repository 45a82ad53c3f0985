// A real OpenID provider on loopback for the single sign-on test (tests/live/test_oidc.py):
// the npm package oidc-provider, as a municipality's Keycloak or Entra ID would answer. One
// confidential client, Veldwacht, whose code flow must use PKCE; the accounts the test names,
// each with its claims. Its development login and consent forms are what the test fills in
// (any password: who may log in at the provider is not what is tested). Prints "ready" once
// it listens.
import Provider from "oidc-provider";

const { OIDC_PORT, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URI, OIDC_ACCOUNTS } = process.env;
const accounts = JSON.parse(OIDC_ACCOUNTS); // {"sanne": {"preferred_username": "sanne", …}}

const provider = new Provider(`http://127.0.0.1:${OIDC_PORT}`, {
  clients: [{
    client_id: OIDC_CLIENT_ID,
    client_secret: OIDC_CLIENT_SECRET,
    redirect_uris: [OIDC_REDIRECT_URI],
    response_types: ["code"],
    grant_types: ["authorization_code"],
  }],
  pkce: { required: () => true },
  claims: {
    openid: ["sub"],
    profile: ["preferred_username", "name"],
    email: ["email", "email_verified"],
  },
  cookies: { keys: ["a test provider's cookie key"] },
  async findAccount(ctx, sub) {
    const claims = accounts[sub];
    return claims && { accountId: sub, claims: async () => ({ sub, ...claims }) };
  },
});

provider.listen(Number(OIDC_PORT), "127.0.0.1", () => console.log("ready"));
