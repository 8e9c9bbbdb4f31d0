/**
 * What the team workspace shows of open alerts (issue 15): a team's inbox, most pressing first,
 * filtered, counted and paged; and the coordinating team's view of the municipality's alerts
 * that are overdue or were escalated. Pure: the rows come from the TeamInbox port, the time
 * from the caller. Codes, times and pseudonymous ids only, as OpenAlert itself.
 */
import type { Level } from '@vroegsignaal/policy';
import type { OpenAlert } from '../ports.ts';
import { levelRank } from './assessment.ts';

/** Rows on one inbox page. */
export const INBOX_PAGE_SIZE = 25;

export type OpenStatus = OpenAlert['status'];
export const OPEN_STATUSES: readonly OpenStatus[] = ['raised', 'picked-up', 'reached'];

/** The inbox's filters (each left out shows all) and the page asked for. */
export interface InboxQuery {
  levels?: readonly Level[];
  statuses?: readonly OpenStatus[];
  district?: string;
  /** "Mine": only the alerts this member (pseudonymous id) holds. */
  mine?: string;
  overdueOnly?: boolean;
  /** 1-based; past the last page gives the last, below 1 (or not a number) the first. */
  page?: number;
}

export interface InboxRow extends OpenAlert {
  /** Still raised (not picked up, not reached) at or after its respondBy: "te laat". */
  overdue: boolean;
  /** How long since it was raised. */
  waitedMs: number;
}

export interface InboxView {
  /** This page's rows, most pressing first. */
  rows: InboxRow[];
  /**
   * Per status, the alerts every other filter lets through, and how many of those are overdue:
   * a count beside a status filter tells what choosing it would show.
   */
  counts: Record<OpenStatus, number> & { overdue: number };
  /** The alerts all filters let through, on all pages. */
  total: number;
  page: number;
  pages: number;
  /** The districts of the team's open alerts, for the district filter's choices. */
  districts: string[];
}

/** Overdue: still raised when its respondBy has come (the moment its overdue reminder is due). Picked up or reached, it was answered. */
export function isOverdue(alert: Pick<OpenAlert, 'status' | 'respondByMs'>, nowMs: number): boolean {
  return alert.status === 'raised' && nowMs >= alert.respondByMs;
}

/**
 * Most pressing first: the higher level, then the earlier deadline, then the higher score;
 * the alert id last, so that the order is total and the same however the rows arrived.
 */
export function comparePressing(a: OpenAlert, b: OpenAlert): number {
  return levelRank(b.level) - levelRank(a.level) || a.respondByMs - b.respondByMs || b.score - a.score || (a.alertId < b.alertId ? -1 : a.alertId > b.alertId ? 1 : 0);
}

export function inboxView(alerts: readonly OpenAlert[], query: InboxQuery, nowMs: number): InboxView {
  const rows = alerts.map((alert): InboxRow => ({ ...alert, overdue: isOverdue(alert, nowMs), waitedMs: Math.max(0, nowMs - alert.raisedAtMs) }));
  const levels = query.levels && query.levels.length > 0 ? new Set(query.levels) : undefined;
  const statuses = query.statuses && query.statuses.length > 0 ? new Set(query.statuses) : undefined;
  const facet = rows.filter(
    (row) =>
      (!levels || levels.has(row.level)) &&
      (query.district === undefined || row.district === query.district) &&
      (query.mine === undefined || row.holder === query.mine) &&
      (!query.overdueOnly || row.overdue),
  );
  const counts = { raised: 0, 'picked-up': 0, reached: 0, overdue: 0 };
  for (const row of facet) {
    counts[row.status]++;
    if (row.overdue) counts.overdue++;
  }
  const shown = facet.filter((row) => !statuses || statuses.has(row.status)).sort(comparePressing);
  const pages = Math.max(1, Math.ceil(shown.length / INBOX_PAGE_SIZE));
  const asked = query.page !== undefined && Number.isFinite(query.page) ? Math.floor(query.page) : 1;
  const page = Math.min(pages, Math.max(1, asked));
  return {
    rows: shown.slice((page - 1) * INBOX_PAGE_SIZE, page * INBOX_PAGE_SIZE),
    counts,
    total: shown.length,
    page,
    pages,
    districts: [...new Set(alerts.map((a) => a.district))].sort(),
  };
}

/** One row of the coordinator's view: which team's alert, how pressing, how long it waited; nothing of the household. */
export interface CoordinatorRow {
  alertId: string;
  team: string;
  level: Level;
  status: OpenStatus;
  raisedAtMs: number;
  respondByMs: number;
  waitedMs: number;
  overdue: boolean;
  escalatedAtMs?: number;
}

/**
 * The coordinating team's view of its municipality's teams' open alerts (each team's from the
 * TeamInbox): those overdue or escalated to it, most pressing first. No district, partners,
 * reasons or holder: the coordinator chases the team, it does not visit the household.
 */
export function coordinatorView(alerts: readonly OpenAlert[], nowMs: number): CoordinatorRow[] {
  return alerts
    .filter((alert) => alert.escalatedAtMs !== undefined || isOverdue(alert, nowMs))
    .sort(comparePressing)
    .map((alert) => ({
      alertId: alert.alertId,
      team: alert.team,
      level: alert.level,
      status: alert.status,
      raisedAtMs: alert.raisedAtMs,
      respondByMs: alert.respondByMs,
      waitedMs: Math.max(0, nowMs - alert.raisedAtMs),
      overdue: isOverdue(alert, nowMs),
      ...(alert.escalatedAtMs !== undefined ? { escalatedAtMs: alert.escalatedAtMs } : {}),
    }));
}
