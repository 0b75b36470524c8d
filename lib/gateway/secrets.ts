/**
 * The customer-managed KMS key that encrypts every token-hash secret, and the admin secret the
 * stack generates. The admin token never appears in the template or in an output: Secrets
 * Manager generates `bootstrap` at deploy time and the operator reads it once (docs/deploy.md).
 */
import { Duration, Validations, type RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';

/** The admin token is `ADMIN_TOKEN_PREFIX + <bootstrap>`; the admin function recognises it. */
export const ADMIN_TOKEN_PREFIX = 'scgw_admin_boot_';
/** The key of the generated value inside the admin secret's JSON. */
export const ADMIN_BOOTSTRAP_KEY = 'bootstrap';

export const secretName = {
  admin: (prefix: string) => `${prefix}/admin`,
  /** Secrets the admin function creates at run time, one per application. */
  appsPattern: (prefix: string) => `${prefix}/apps/*`,
  /** The access-token signing key set (issue 17): created by the token endpoint on the first token, replaced by rotation. */
  oauthPattern: (prefix: string) => `${prefix}/oauth/*`,
  /** Everything the authorizer may read. */
  allPattern: (prefix: string) => `${prefix}/*`,
};

export interface GatewaySecrets {
  readonly key: kms.Key;
  readonly adminSecret: secretsmanager.Secret;
}

export const createGatewaySecrets = (
  scope: Construct,
  options: { readonly prefix: string; readonly removalPolicy: RemovalPolicy },
): GatewaySecrets => {
  const key = new kms.Key(scope, 'SecretsKey', {
    description: `scim-gateway: encrypts the token-hash secrets under ${options.prefix}/`,
    enableKeyRotation: true,
    pendingWindow: Duration.days(30),
    removalPolicy: options.removalPolicy,
  });

  const adminSecret = new secretsmanager.Secret(scope, 'AdminSecret', {
    secretName: secretName.admin(options.prefix),
    description: `scim-gateway admin tokens. The first admin token is "${ADMIN_TOKEN_PREFIX}" followed by the "${ADMIN_BOOTSTRAP_KEY}" value.`,
    encryptionKey: key,
    removalPolicy: options.removalPolicy,
    generateSecretString: {
      secretStringTemplate: JSON.stringify({ tokens: [] }),
      generateStringKey: ADMIN_BOOTSTRAP_KEY,
      passwordLength: 48,
      excludePunctuation: true,
    },
  });
  Validations.of(adminSecret).acknowledge({
    id: 'AwsSolutions-SMG4',
    reason:
      'The secret holds bearer-token hashes, not a credential Secrets Manager can rotate on its own: the IdP holds the token, ' +
      'so rotation is admin-driven through the admin API with two live tokens (new + previous until notAfter).',
  });

  return { key, adminSecret };
};
