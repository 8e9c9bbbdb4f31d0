/**
 * Issue 15's cost targets for the team workspace, held by the same measurement `npm run bench`
 * reports (measureWorkspaceCost): a team with 1,000 open alerts, on dynalite through the real
 * adapters, a member logged in with a session of the auth module, the pages asked for through
 * the Hono app. Each inbox page (the first, the second, a filtered one) costs at most 3 DynamoDB
 * requests, and the first load (the inbox and what it links) stays under 100 KB compressed.
 * Counts and bytes only: nothing here is timed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { INBOX_PAGE_SIZE } from '@vroegsignaal/domain';
import { DEFAULT_FEED_NOW, measureWorkspaceCost, WORKSPACE_TARGETS, type WorkspaceCost } from '@vroegsignaal/harness';
import { compilePolicy, loadPolicyDir } from '@vroegsignaal/policy';

let cost: WorkspaceCost;

beforeAll(async () => {
  cost = await measureWorkspaceCost({ policy: compilePolicy(loadPolicyDir()), nowMs: Date.parse(DEFAULT_FEED_NOW) });
}, 180_000);

describe('the workspace of a team with 1,000 open alerts', () => {
  it('lists the team\'s alerts, page by page and filtered, in at most 3 DynamoDB requests a page', () => {
    const { first, second, filtered } = cost.inbox;
    expect(cost.openAlerts).toBe(1000);
    // The pages show the team's alerts (a login page or an empty inbox would cost nothing).
    expect(first.alertIds).toHaveLength(INBOX_PAGE_SIZE);
    expect(second.alertIds).toHaveLength(INBOX_PAGE_SIZE);
    expect(second.alertIds.filter((id) => first.alertIds.includes(id))).toEqual([]);
    expect(filtered.alertIds.length).toBeGreaterThan(0);
    for (const page of [first, second, filtered]) {
      expect(page.dynamodbRequests, page.path).toBeGreaterThan(0);
      expect(page.dynamodbRequests, page.path).toBeLessThanOrEqual(WORKSPACE_TARGETS.dynamodbRequestsPerInboxPage);
      // From the sparse index alone: no scan, no item read per row.
      expect(Object.keys(page.requests), page.path).toEqual(['DynamoDB.Query']);
    }
    expect(cost.pass.requestsPerInboxPage).toBe(true);
  });

  it('transfers under 100 KB compressed on first load: the inbox and the stylesheet it links', () => {
    const { files, gzipBytes, brotliBytes } = cost.firstLoad;
    expect(files.map((f) => f.path)).toEqual(['/meldingen', expect.stringMatching(/^\/static\/workspace\.css\?v=\w+$/)]);
    expect(gzipBytes).toBe(files.reduce((n, f) => n + f.gzipBytes, 0));
    expect(gzipBytes).toBeLessThan(WORKSPACE_TARGETS.firstLoadCompressedBytes);
    expect(brotliBytes).toBeLessThan(WORKSPACE_TARGETS.firstLoadCompressedBytes);
    expect(cost.pass.firstLoad).toBe(true);
  });

  it('opens an alert with its household in 3 requests, the access record written among them', () => {
    expect(cost.alertPage.requests).toEqual({ 'DynamoDB.GetItem': 2, 'DynamoDB.PutItem': 1 });
  });
});
