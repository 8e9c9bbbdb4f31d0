/**
 * The household key: the HMAC-SHA-256 secret under which an address becomes a household
 * reference. It lives in Secrets Manager, not as a KMS HMAC key: the functions read it once
 * per cold start (Powertools caches it), while a KMS HMAC key would add a KMS request, with
 * its latency, cost and request quota, to every signal on the hot path. Access is limited to
 * the ingest function, and the secret is encrypted with its own customer-managed key.
 *
 * It is never rotated: the reference is the household's identity, and a new key would make
 * every stored household a stranger. It is kept when the stack is deleted in production.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledge } from '../lib/acknowledge.ts';
import { dataKey } from './keys.ts';

export interface HouseholdKeyProps {
  /** RETAIN for the secret and its key. @default false */
  readonly production?: boolean;
}

export class HouseholdKey extends Construct {
  readonly secret: secretsmanager.Secret;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: HouseholdKeyProps = {}) {
    super(scope, id);
    const removalPolicy = props.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    this.key = dataKey(this, 'Key', { description: 'household key secret', removalPolicy });
    this.secret = new secretsmanager.Secret(this, 'Secret', {
      description: 'vroegsignaal: HMAC-SHA-256 key for household references (64 random characters)',
      encryptionKey: this.key,
      removalPolicy,
      generateSecretString: {
        passwordLength: 64,
        excludePunctuation: true,
        includeSpace: false,
      },
    });
    acknowledge(
      this.secret,
      'AwsSolutions-SMG4',
      'The household key must not rotate: a household reference is the HMAC of its address under this key, so a new key would make every stored household unrecognisable.',
    );
  }
}
