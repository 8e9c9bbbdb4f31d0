/**
 * `@vroegsignaal/domain`: the pipeline's rules as pure functions (model/) and the use cases
 * that apply them through the ports (use-cases/, ports.ts). Exported: what the other packages use.
 */
export { HouseholdKeyError, householdRef, normaliseAddress, normalisePostcode, postcodeArea, type ContractAddress, type NormalisedAddress } from './model/address.ts';
export { alertStatus, contactsOf, emptyHousehold, type AlertEnding, type AlertRecord, type AlertStatus, type TimelineEntry, type CareDomain, type HouseholdState, type PartnerContact, type NuisanceCategory, type ProceedingStage, type StoredSignal, type StoredWithdrawal } from './model/household.ts';
export { endingEntry, entryOfReport, forwardRefusal, holderOf, lifeOf, partOfDayAt, recordOnTimeline, timelineOf, type AlertLife, type ForwardRefusal } from './model/timeline.ts';
export { idOf, rejectionRuleOf, takeIn, type BusEntry, type Intake, type RejectionRule } from './model/intake.ts';
export { ALERT_RETENTION_MONTHS, DUPLICATE_REASON, PARTNER_QUOTA_REASON, applySignal, applyWithdrawal, HOUSEHOLD_BUDGET_BYTES, householdBytes, householdExpiresAtMs, MAX_SIGNALS_PER_PARTNER } from './model/apply.ts';
export { domainsOf, viewHousehold } from './model/view.ts';
export { assessHousehold, levelRank } from './model/assessment.ts';
export { districtOf, municipalityOfAddress, routeHousehold } from './model/routing.ts';
export { ACCESS_RECORD_RETENTION_YEARS, accessMonthOf, accessRecordExpiresAtMs } from './model/access.ts';
export { comparePressing, coordinatorView, INBOX_PAGE_SIZE, inboxView, isOverdue, OPEN_STATUSES, type CoordinatorRow, type InboxQuery, type InboxRow, type InboxView, type OpenStatus } from './model/inbox.ts';
export { alertIdFor, planNotifications } from './model/notifications.ts';
export { HIDDEN, isMonitorMonth, MONITOR_BLOCKS, monitorFigures, monitorMonthOf, monitorMonths, publishable, REPEAT_MONTHS, SMALLEST_PUBLISHED_COUNT, SUPPRESSED, type Count, type MonitorAlert, type MonitorBlock, type MonitorBlockId, type MonitorFigures, type MonitorInput, type MonitorRow, type MonitorTable, type MonitorValue } from './model/monitor.ts';
export { planReminders } from './model/reminders.ts';
export { CHANNEL_MAPPING, CLOSE_DETAIL_MAPPING, CLOSE_RESULT_MAPPING, clientOf, contactpogingenOf, ddasDocument, ddasSignalId, EXPORTED_CARE_DOMAINS, monthsOfPeriod, NOT_TAKEN_MAPPING, PART_OF_DAY_MAPPING, resultaatOf, signaalpartnerOf, signaalstatusOf, UNKNOWN_CHANNEL, type DdasExportInput } from './model/ddas.ts';
export { readDdasExport, type DdasExportRequest } from './use-cases/ddas.ts';
export type { AccessLog, AccessRecord, AlertAccessRecord, AlertIndex, AlertIndexRecord, AuditRecord, AuditTrail, CapacityLedger, EventPublisher, ExportAccessRecord, HouseholdStore, JudgedEntry, JudgedEntryLog, JudgedEntryRecord, MonitorReports, MonitorSource, OpenAlert, PipelineEvent, RejectionRecord, ReminderScheduler, Resend, SignalClaim, SignalLedger, StoredAccessRecord, TeamInbox, TeamMessenger } from './ports.ts';
export { MAX_RESENDS_KEPT, NOTICE_KINDS } from './ports.ts';
export type { Mailer, MailKind, MailResult, MailStatus, MemberDirectory, MemberRecord, NoticeKind, NoticeLog, OnceGate, OutgoingMail, SentNotice, TeamNoticeDefaults } from './ports.ts';
export { handleMailFeedback, NOTICE_LOG_DAYS, notifyMembers, sendDigests, type NotifyDeps, type NotifyResult } from './use-cases/notify.ts';
export {
  DIGEST_TIMES,
  digestKey,
  digestSection,
  digestSlotOf,
  digestTeamsDue,
  effectiveNoticeSettings,
  formatList,
  formatNoticeTime,
  formatWaited,
  isDigestTime,
  LEVEL_WORDS,
  mailOffRecipients,
  noticeKey,
  noticeRecipients,
  noticeTriggerOf,
  previousDigestMomentMs,
  renderDigest,
  renderMailOff,
  renderNotice,
  settingsUrl,
  SHIPPED_NOTICE_DEFAULTS,
  takesNotices,
  type AlertNoticeKind,
  type DigestSection,
  type NoticeEvent,
  type NoticeFacts,
  type NoticeSettings,
} from './model/member-notices.ts';
export { failureReason } from './failures.ts';
export { ingestEntry, type IngestDeps, type IngestResult } from './use-cases/ingest.ts';
export { deliverOwed, type DeliverDeps } from './use-cases/deliver.ts';
export { handleTeamReport, type TeamReportDeps, type TeamReportRejection, type TeamReportResult } from './use-cases/team-report.ts';
export { recordPartnerOutcome, REJECTION_KEPT_DAYS } from './use-cases/partner-outcomes.ts';
export { readMonitorFigures } from './use-cases/monitor.ts';
export type { DispatchDeps, SentMessage } from './use-cases/dispatch.ts';
