/**
 * `@vroegsignaal/functions`: the stages' handler factories, for the local runtime and the
 * tests; the Lambda entries (`<stage>/index.ts`) wire the same factories to AWS.
 */
export { createIngestHandler, type IngestHandlerDeps } from './ingest/handler.ts';
export { createDeliverHandler, type DeliverHandlerDeps } from './deliver/handler.ts';
export { createTeamReportHandler } from './team-report/handler.ts';
export { createOutcomesHandler } from './outcomes/handler.ts';
export { createFederatedGroupsHandler, type FederatedGroupMappings, IDP_GROUPS_ATTRIBUTE } from './federated-groups/handler.ts';
export type { DeadLetterPolicy, DeadLetterQueue } from './lib/sqs-batch.ts';
export { partnerFaultOf } from './lib/faults.ts';
export { logger } from './lib/observability.ts';
export { AppConfigPolicy, PolicyUnavailableError } from './lib/production.ts';
export { createWorkspaceApp } from './workspace/app.ts';
export type { IdentitySettings, Locale, LocalOutbox, Member, ReceivedMail, WorkspaceDeps, WorkspaceEnv } from './workspace/deps.ts';
export { memberFromClaims } from './workspace/auth/oidc.ts';
export { registeredMember } from './workspace/auth/registration.ts';
export { IDLE_TIMEOUT_MS, SESSION_COOKIE, SESSION_LIMIT_MS, sessionCookieFor } from './workspace/auth/session.ts';
export { workspacePages } from './workspace/pages/index.ts';
export { MONITOR_CSS, monitorCsv, monitorHeadline, monitorReportFragment, monitorReportHtml, monitorValue, valueText } from './monitor/report.ts';
export { createMonthlyMonitorHandler, type MonthlyMonitorDeps } from './monthly-monitor/handler.ts';
export { createNotifyHandler, type NotifyHandlerDeps } from './notify/handler.ts';
export { createNoticeDigestHandler, type NoticeDigestHandlerDeps } from './notice-digest/handler.ts';
export { createMailFeedbackHandler, type MailFeedbackHandlerDeps } from './mail-feedback/handler.ts';
export type { NoticeHandlerDeps } from './lib/notices.ts';
