/**
 * The local stack as `npm run serve -- --feed events/samples/feed.ndjson --now <its clock>`
 * leaves it: the stand-ins with the sample feed replayed (its Now lines move the clock to the
 * teams' last report, 27 November 2026), the local OpenID provider and the team workspace on
 * free ports. The team messages stay on the team queues, as serve leaves them.
 */
import { readFileSync } from 'node:fs';
import { SAMPLE_FEED_FILE, SAMPLE_FEED_NOW } from '@vroegsignaal/events';
import { startLocalPipeline, startLocalWorkspace, type LocalPipeline, type LocalWorkspace } from '@vroegsignaal/stand-ins';
import { onStandIns, replayOn } from '@vroegsignaal/tools';
import { defaultCompiledPolicy } from './local-pipeline.ts';

export interface SampleWorkspace {
  pipeline: LocalPipeline;
  workspace: LocalWorkspace;
  stop(): Promise<void>;
}

export async function startSampleWorkspace(): Promise<SampleWorkspace> {
  const pipeline = await startLocalPipeline({ policy: defaultCompiledPolicy(), clock: () => Date.parse(SAMPLE_FEED_NOW) });
  let workspace: LocalWorkspace;
  try {
    const engine = { ...onStandIns(pipeline), collectTeamMessages: async () => [] };
    await replayOn(engine, readFileSync(SAMPLE_FEED_FILE, 'utf8').split('\n'), { nowMs: pipeline.now(), keep: false });
    workspace = await startLocalWorkspace({ pipeline });
  } catch (error) {
    await pipeline.stop();
    throw error;
  }
  return {
    pipeline,
    workspace,
    stop: async () => {
      await workspace.stop();
      await pipeline.stop();
    },
  };
}
