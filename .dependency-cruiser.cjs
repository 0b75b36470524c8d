/**
 * Which way imports may point (checked by test/unit/architecture.test.ts; `npx depcruise lambdas bin lib`
 * prints the same). Inside `lambdas/`, from the top down:
 *
 *   handlers     Lambda entry points (the route table, shared/routes.ts, names them)
 *   use-cases    what the handlers and the local gateway do with applications and directories, without HTTP
 *   shared       handler support: runtime, route table, HTTP edge, error middleware, config, logger, failure recording
 *   store        DynamoDB and Secrets Manager        reports   pure derivation of report rows (may use the profiles core)
 *   domain       shapes and pure functions the store, the reports and the handlers share
 *   scim         the pure SCIM core (scim/bulk inside it)
 *
 * Pure cores beside the layers, each importing only what sits below it: `admin` (the admin API's
 * JSON; domain), `profiles` and `provisioning-features` (scim, domain), `oauth` (scim and
 * domain/secret-tokens), `events` (profiles, scim, domain: an event's data is the profile). None of them imports AWS.
 *
 * A layer imports only layers below it (store and reports never each other), and `lambdas/` never
 * imports `bin/` or `lib/`. Paths are relative to where depcruise runs (the repository root; the
 * rules' own test runs them in a fixture tree laid out the same way).
 */
const layer = (name) => `^lambdas/${name}/`;
const outside = (...allowed) => `^lambdas/(?!(${allowed.join('|')})/)`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A cycle makes two modules one: split out what both need instead.',
      severity: 'error',
      from: { path: '^lambdas/' },
      to: { circular: true },
    },
    {
      name: 'scim-is-the-core',
      comment: 'lambdas/scim is the pure SCIM core: it imports nothing else of the gateway, and no AWS.',
      severity: 'error',
      from: { path: layer('scim') },
      to: { path: [outside('scim'), '^(lib|bin)/', '@aws-sdk/', 'aws-lambda', '@aws-lambda-powertools/'] },
    },
    {
      name: 'domain-is-a-leaf',
      comment: 'lambdas/domain holds shapes and pure functions: it imports only the SCIM core.',
      severity: 'error',
      from: { path: layer('domain') },
      to: { path: [outside('domain', 'scim'), '@aws-sdk/', 'aws-lambda'] },
    },
    {
      name: 'store-below-handlers',
      comment: 'The store takes what it needs as arguments (client, table, a logger callback): no config, logger or HTTP types, no reports.',
      severity: 'error',
      from: { path: layer('store') },
      // oauth: the store persists the OAuth core's records and key sets (clients, signing keys), which are pure
      // data types of that core; it still imports no handler support, use case or report code.
      to: { path: outside('store', 'domain', 'scim', 'oauth') },
    },
    {
      name: 'reports-are-pure',
      comment:
        'lambdas/reports derives rows from records; what it reads is passed in (no store, no handler support). ' +
        'It may use the pure profiles core: a row names profile changes in profile names (profiles/labels.ts), as the console and CLI do.',
      severity: 'error',
      from: { path: layer('reports') },
      to: { path: [outside('reports', 'profiles', 'domain', 'scim'), '@aws-sdk/'] },
    },
    ...[
      ['admin', ['admin', 'domain']],
      ['profiles', ['profiles', 'scim', 'domain']],
      ['provisioning-features', ['provisioning-features', 'scim', 'domain']],
      ['events', ['events', 'profiles', 'scim', 'domain']],
    ].map(([core, allowed]) => ({
      name: `${core}-is-a-pure-core`,
      comment: `lambdas/${core} is pure: it imports only ${allowed.slice(1).join(', ')}, and no AWS.`,
      severity: 'error',
      from: { path: layer(core) },
      to: { path: [outside(...allowed), '@aws-sdk/', 'aws-lambda', '@aws-lambda-powertools/'] },
    })),
    {
      name: 'oauth-is-a-pure-core',
      comment: 'lambdas/oauth is pure: it imports only the SCIM core and the Secret Token format (domain/secret-tokens), and no AWS.',
      severity: 'error',
      from: { path: layer('oauth') },
      to: { path: ['^lambdas/(?!(oauth|scim)/|domain/secret-tokens\\.ts$)', '@aws-sdk/', 'aws-lambda', '@aws-lambda-powertools/'] },
    },
    {
      name: 'shared-below-use-cases',
      comment: 'Handler support serves handlers and use cases; it never imports them.',
      severity: 'error',
      from: { path: layer('shared') },
      to: { path: [layer('handlers'), layer('use-cases')] },
    },
    {
      name: 'use-cases-below-handlers',
      comment: 'Use cases are callable without HTTP entry points.',
      severity: 'error',
      from: { path: layer('use-cases') },
      to: { path: layer('handlers') },
    },
    {
      name: 'lambdas-below-lib',
      comment: 'bin → lib → lambdas: the functions never import the CDK app, the construct or the local gateway.',
      severity: 'error',
      from: { path: '^lambdas/' },
      to: { path: '^(lib|bin|bench|console|test)/' },
    },
    {
      name: 'lib-below-bin',
      comment: 'bin → lib: the construct and the local gateway never import the entry scripts.',
      severity: 'error',
      from: { path: '^lib/' },
      to: { path: '^bin/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a type import against the direction is still a dependency a reader must follow.
    tsPreCompilationDeps: true,
    exclude: { path: '^node_modules/' },
  },
};
