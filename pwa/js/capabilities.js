// What the signed-in user may see and do: the server's word only. `GET /api/me` sends `can`,
// a flag per capability (services/accounts/capabilities.py), and the routes behind a screen
// allow exactly the roles of its flag; the PWA keeps no role set of its own. A flag the profile
// lacks (an old cached profile) means no.

/** Whether the user `me` has capability `name`. */
export function can(me, name) {
  return me?.can?.[name] === true;
}
