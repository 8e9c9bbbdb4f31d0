/**
 * The CDK app: `npx cdk synth` (cdk.json runs this with tsx). Synthesizes without AWS
 * credentials and without Docker (esbuild bundles the functions locally).
 *
 * Context (`-c key=value`):
 * - `policyDir`: the policy directory to deploy (default: packages/policy/defaults)
 * - `production=true`: deletion protection, RETAIN, termination protection
 * - `prefix`: physical name prefix (default `vroegsignaal-`), `stackPrefix` (default `Vroegsignaal`)
 * - `alarmEmail`: subscribe an address to the alarm topic
 * - `nag=false`: skip the cdk-nag AwsSolutions checks
 * - `workspaceDomain` and `workspaceCertificateArn` (ACM, us-east-1): the workspace on its own
 *   domain, with TLS 1.2 or newer to browsers; `workspaceWebAclArn`: a CloudFront WAF web ACL
 * - `noticeSenderDomain`: the domain e-mail notices come from (`meldingen@<domain>`), verified
 *   in SES by the DKIM records the workspace stack outputs (default: vroegsignaal.example, which
 *   synthesizes but never sends)
 */
import { resolve } from 'node:path';
import { App } from 'aws-cdk-lib';
import { DEFAULT_POLICY_DIR, loadPolicyDir } from '@vroegsignaal/policy';
import { buildApp } from '../build-app.ts';

const app = new App();
const context = (key: string): string | undefined => {
  const value: unknown = app.node.tryGetContext(key);
  return value === undefined || value === null ? undefined : String(value);
};
const policyDir = context('policyDir');
const workspaceDomain = context('workspaceDomain');
const workspaceCertificateArn = context('workspaceCertificateArn');
if (Boolean(workspaceDomain) !== Boolean(workspaceCertificateArn)) throw new Error('give workspaceDomain and workspaceCertificateArn together');

buildApp({
  app,
  policy: loadPolicyDir(policyDir ? resolve(policyDir) : DEFAULT_POLICY_DIR),
  production: context('production') === 'true',
  nag: context('nag') !== 'false',
  namePrefix: context('prefix'),
  stackPrefix: context('stackPrefix'),
  alarmEmail: context('alarmEmail'),
  workspace: {
    webAclArn: context('workspaceWebAclArn'),
    noticeSenderDomain: context('noticeSenderDomain'),
    domain:
      workspaceDomain && workspaceCertificateArn
        ? { name: workspaceDomain, certificateArn: workspaceCertificateArn }
        : undefined,
  },
});
app.synth();
