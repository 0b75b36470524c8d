/**
 * The credentials every deployed function signs with: the execution role's keys, which Lambda puts
 * in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN) of every
 * function. The bundler puts this module in place of `@aws-sdk/credential-provider-node` (the SDK
 * clients' default chain: environment, SSO, ini files, web identity, process, container and
 * instance metadata, with the STS and SSO clients they need), which is about 100 KB of each bundle
 * that Lambda would parse on every cold start and never run past its first step
 * (lib/gateway/functions.ts `BUNDLING`; docs/benchmarks.md, section 3). Unbundled code (tests, the
 * local gateway, the CLI) keeps the SDK's chain.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * Same name and call as the SDK's chain, which the clients' runtime configuration imports. With no
 * keys in the environment it rejects (CredentialsProviderError), as the chain's last step would.
 */
export const defaultProvider = (init?: Parameters<typeof fromEnv>[0]): ReturnType<typeof fromEnv> => fromEnv(init);
