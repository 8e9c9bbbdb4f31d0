/**
 * The workspace on the web: one CloudFront distribution in front of
 * - the app: the workspace function behind an HTTP API (API Gateway v2, Lambda integration),
 *   never cached (every page is a member's own view of care data), every method, all cookies,
 *   headers and query strings forwarded except Host (API Gateway answers on its own host).
 *   Not a Lambda function URL with origin access control: OAC signs the request with SigV4,
 *   and for a POST that needs a hash of the body, which a browser's form post does not send.
 * - `/static/*`: the stylesheet and assets from functions/workspace/static, copied at deploy
 *   into a private S3 bucket that only this distribution may read (origin access control),
 *   cached a year at the edge and in browsers: the pages link each file with its content
 *   version (`?v=<hash>`), part of the cache key, and each deployment invalidates `/static/*`.
 *
 * HTTPS only (HTTP is redirected), TLS 1.2 to the origin; to viewers TLS 1.2 with `domain`
 * (on the default *.cloudfront.net certificate CloudFront fixes the viewer policy at TLSv1,
 * which browsers never negotiate down to, but the check cannot know). A response headers
 * policy adds HSTS, nosniff, DENY framing, no referrer, and a fallback Content Security Policy
 * for what the app does not set itself (the app's own, stricter, wins). Access logs of the
 * distribution and of the static bucket go to a log bucket kept 90 days, without cookies
 * (they carry the session); the HTTP API logs each request, without query strings, to
 * CloudWatch.
 */
import { Duration, RemovalPolicy, SecretValue, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledge } from '../lib/acknowledge.ts';
import type { PipelineFunction } from './pipeline-function.ts';

/** The header CloudFront carries the origin secret in to the API. */
export const ORIGIN_HEADER = 'x-vroegsignaal-origin';
/** Where the static files are served from, as the pages link them. */
export const STATIC_PATH = '/static/*';
/** What the static folder holds besides what is served: the stylesheet's sources and build. */
const STATIC_SOURCES = ['*.ts', '*.src.css'];
/** The query parameter that carries a static file's content version. */
const STATIC_VERSION_PARAMETER = 'v';
/** Request logs hold viewers' IP addresses: kept long enough to look into an incident, no longer. */
const ACCESS_LOG_DAYS = 90;

export interface WorkspaceSiteProps {
  readonly namePrefix: string;
  /** The workspace function (functions/workspace). */
  readonly app: PipelineFunction;
  /** The folder copied to `/static/` (functions/workspace/static). */
  readonly staticDir: string;
  /** A secret CloudFront sends to the API in ORIGIN_HEADER, so that the app can refuse requests that did not come through it. */
  readonly originSecret: secretsmanager.ISecret;
  /** RETAIN for the log bucket. @default false */
  readonly production?: boolean;
  /** A custom domain, with the ARN of its ACM certificate in us-east-1: TLS 1.2 or newer to viewers. @default the *.cloudfront.net name */
  readonly domain?: { readonly name: string; readonly certificateArn: string };
  /** A WAF web ACL (scope CLOUDFRONT, in us-east-1) to put in front. @default none */
  readonly webAclArn?: string;
  /** Requests a second the API takes, on average and in a burst. @default 50 and 100 */
  readonly throttle?: { readonly rateLimit: number; readonly burstLimit: number };
}

export class WorkspaceSite extends Construct {
  readonly distribution: cloudfront.Distribution;
  readonly api: apigwv2.HttpApi;
  readonly staticBucket: s3.Bucket;
  readonly logBucket: s3.Bucket;
  /** `https://<host>`: what the browser sees, the OpenID client's redirect base. */
  readonly origin: string;

  constructor(scope: Construct, id: string, props: WorkspaceSiteProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const production = props.production ?? false;

    this.logBucket = new s3.Bucket(this, 'Logs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront's standard logs are written with an ACL: the bucket must accept ACLs.
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(ACCESS_LOG_DAYS) }],
      removalPolicy: production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    this.staticBucket = new s3.Bucket(this, 'Static', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 's3-static/',
      // Only what the deployment copies in: rebuilt from the repository on every deploy.
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });

    this.api = new apigwv2.HttpApi(this, 'Api', {
      apiName: `${props.namePrefix}workspace`,
      description: 'vroegsignaal team workspace (reached through CloudFront)',
      createDefaultStage: false,
      defaultIntegration: new HttpLambdaIntegration('App', props.app.fn, { payloadFormatVersion: apigwv2.PayloadFormatVersion.VERSION_2_0 }),
    });
    const apiLogs = new logs.LogGroup(this, 'ApiLogs', {
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy: production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    const throttle = props.throttle ?? { rateLimit: 50, burstLimit: 100 };
    new apigwv2.HttpStage(this, 'Stage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle,
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(apiLogs),
        // The path only (alert ids, never personal data); not the query string.
        format: apigw.AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTimeEpoch',
            ip: '$context.identity.sourceIp',
            method: '$context.httpMethod',
            path: '$context.path',
            status: '$context.status',
            latency: '$context.integrationLatency',
            bytes: '$context.responseLength',
          }),
        ),
      },
    });
    acknowledge(
      this.api,
      'AwsSolutions-APIG4',
      'The workspace authenticates every request itself: an OpenID Connect login and an encrypted HttpOnly session cookie, which an API Gateway JWT authorizer cannot read (it wants a bearer token a browser form does not send).',
    );

    const apiOrigin = new origins.HttpOrigin(`${this.api.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`, {
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
      // The API's own endpoint stays public (an HTTP API can close it only behind a custom
      // domain of its own): the app answers only requests that carry this secret, so nothing
      // reaches it around CloudFront's headers, logs and web ACL. A dynamic reference: the
      // value is resolved at deployment and never written into the template.
      customHeaders: { [ORIGIN_HEADER]: SecretValue.secretsManager(props.originSecret.secretArn).unsafeUnwrap() },
    });
    const security: cloudfront.ResponseSecurityHeadersBehavior = {
      strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: true },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
      referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
      // The app sends its own policy, with per-response nonces; this covers what it does not answer.
      contentSecurityPolicy: { contentSecurityPolicy: "default-src 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'; form-action 'self'", override: false },
    };
    const customHeaders = (extra: cloudfront.ResponseCustomHeader[]): cloudfront.ResponseCustomHeadersBehavior => ({
      customHeaders: [{ header: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=()', override: true }, { header: 'Cross-Origin-Opener-Policy', value: 'same-origin', override: true }, ...extra],
    });
    const pageHeaders = new cloudfront.ResponseHeadersPolicy(this, 'PageHeaders', {
      comment: 'vroegsignaal workspace pages: security headers; nothing stored by the browser unless the app says so',
      securityHeadersBehavior: security,
      customHeadersBehavior: customHeaders([{ header: 'Cache-Control', value: 'no-store', override: false }]),
    });
    const staticHeaders = new cloudfront.ResponseHeadersPolicy(this, 'StaticHeaders', {
      comment: 'vroegsignaal workspace static files: security headers',
      securityHeadersBehavior: security,
      customHeadersBehavior: customHeaders([]),
    });
    const staticCache = new cloudfront.CachePolicy(this, 'StaticCache', {
      comment: 'vroegsignaal workspace static files: a year, keyed by their content version',
      defaultTtl: Duration.days(365),
      minTtl: Duration.days(1),
      maxTtl: Duration.days(365),
      // The pages link `/static/workspace.css?v=<hash of its content>`: a new build is a new key.
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.allowList(STATIC_VERSION_PARAMETER),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'vroegsignaal team workspace',
      defaultBehavior: {
        origin: apiOrigin,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
        cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
        // With caching disabled this forwards Authorization too: the bearer token of POST /gegevens.
        originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        responseHeadersPolicy: pageHeaders,
        compress: true,
      },
      additionalBehaviors: {
        [STATIC_PATH]: {
          origin: origins.S3BucketOrigin.withOriginAccessControl(this.staticBucket),
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
          cachePolicy: staticCache,
          responseHeadersPolicy: staticHeaders,
          compress: true,
        },
      },
      domainNames: props.domain ? [props.domain.name] : undefined,
      certificate: props.domain ? acm.Certificate.fromCertificateArn(this, 'Certificate', props.domain.certificateArn) : undefined,
      // Settable with a certificate of our own only (see the note on CFR4 below).
      minimumProtocolVersion: props.domain ? cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021 : undefined,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      // Europe and North America: the members work in the Netherlands.
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
      logIncludesCookies: false,
      webAclId: props.webAclArn,
    });
    this.origin = `https://${props.domain?.name ?? this.distribution.distributionDomainName}`;

    acknowledge(
      this.distribution,
      'AwsSolutions-CFR1',
      'No geo restriction: who may see an alert is decided by the identity provider and the team groups; members working from abroad (a holiday, a border municipality) are not a risk a country list would catch.',
    );
    if (!props.webAclArn) {
      acknowledge(
        this.distribution,
        'AwsSolutions-CFR2',
        'A CloudFront web ACL lives in us-east-1, outside this stack; give webAclArn to attach one. Every page needs a Cognito login with MFA, and the API is throttled.',
      );
    }
    if (!props.domain) {
      acknowledge(
        this.distribution,
        'AwsSolutions-CFR4',
        'On the default *.cloudfront.net certificate CloudFront fixes the viewer security policy at TLSv1; give a domain with an ACM certificate to get TLSv1.2_2021. Browsers negotiate TLS 1.2 or 1.3 either way.',
      );
    }

    // The copy runs in CDK's bucket-deployment function; its role (below) may write its own
    // log group and this bucket, nothing else of ours.
    const deployLogs = new logs.LogGroup(this, 'DeployStaticLogs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    const deployRole = new iam.Role(this, 'DeployStaticRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Copies the workspace static files to their bucket at deploy time',
    });
    deployRole.addToPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [deployLogs.logGroupArn] }));
    new s3deploy.BucketDeployment(this, 'DeployStatic', {
      sources: [s3deploy.Source.asset(props.staticDir, { exclude: STATIC_SOURCES })],
      destinationBucket: this.staticBucket,
      destinationKeyPrefix: 'static/',
      distribution: this.distribution,
      distributionPaths: [STATIC_PATH],
      // Linked with their content version, so browsers may keep them as long as the edge does.
      cacheControl: [s3deploy.CacheControl.setPublic(), s3deploy.CacheControl.maxAge(Duration.days(365)), s3deploy.CacheControl.immutable()],
      role: deployRole,
      logGroup: deployLogs,
    });
    const deployGrants = 'CDK\'s bucket deployment (its own grants) reads the asset from the CDK assets bucket and replaces the objects of the static bucket (object ARNs end in /*), then invalidates /static/* on this distribution; it runs at deploy time only.';
    for (const finding of [
      'Action::s3:GetObject*',
      'Action::s3:GetBucket*',
      'Action::s3:List*',
      'Action::s3:DeleteObject*',
      'Action::s3:Abort*',
      'Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*',
      `Resource::<${stack.getLogicalId(this.staticBucket.node.defaultChild as s3.CfnBucket)}.Arn>/*`,
    ]) {
      acknowledge(deployRole, `AwsSolutions-IAM5[${finding}]`, deployGrants);
    }
    acknowledge(deployRole, 'AwsSolutions-IAM5[Resource::*]', 'CloudFront CreateInvalidation and GetInvalidation, as CDK\'s bucket deployment grants them; its handler invalidates /static/* of this distribution only.');
    const deployHandler = stack.node.children.find((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (deployHandler) {
      acknowledge(deployHandler, 'AwsSolutions-L1', 'The runtime of CDK\'s own bucket-deployment handler (Python, with the AWS CLI layer) is chosen by aws-cdk-lib; it runs at deploy time only and serves no request.');
    }
  }
}
