/** One policy's run of a policy diff, in a worker thread of its own (policy-diff.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { compilePolicy, loadPolicyDir } from '@vroegsignaal/policy';
import { runPolicy, type PolicyRunJob } from './policy-diff.ts';

const job = workerData as PolicyRunJob;
parentPort?.postMessage(await runPolicy(job.feed, compilePolicy(loadPolicyDir(job.policyDir)), job.nowMs, 'memory'));
