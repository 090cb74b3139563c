import fs from 'node:fs';
import { expect } from '@playwright/test';
import { parse, stringify } from 'yaml';
import type { WatchCloseout } from '../../src/store/watch-closeout-schema.ts';
import { TaskProject } from '../helpers/task-project.ts';
import { writeWatcher } from '../helpers/watch.ts';
import { test } from '../store/fixtures.ts';

test.describe.configure({ timeout: 180_000 });

/** A worker as a script: checks it got the packet, edits a file its lane owns, proves the acceptance item with it. */
const PROVIDER = `set -e
test -f "$1"
echo "working on $TASK_ID in session $PACKGATE_SESSION"
echo "notes by the scripted provider" > packs/auth-session/NOTES.md
node bin/packgate.js task prove "$TASK_ID" --item 1 --file packs/auth-session/NOTES.md --note "the provider's notes"
`;

for (const adapter of ['sqlite', 'postgres'] as const)
  test.describe(adapter, () => {
    test.use({ adapter });
    test(
      'task dispatch: a failing provider is closed out and the task released; a scripted provider edits the worktree, is closed out and handed off' +
        '; a watcher outside its allowed fixes is escalated, not run',
      async ({ storeLocation }, testInfo) => {
        const project = await TaskProject.create(testInfo, { git: false });
        // Every command on the adapter's store: SQLite in the project, or a PostgreSQL database.
        if (storeLocation.kind === 'postgres')
          Object.assign(project.temp.env, { PACKGATE_STORE_URL: storeLocation.url });
        const governance = parse(project.read('governance.yaml'));
        governance.watch.providers = {
          scripted: { command: 'sh tools/provider.sh {packet}', expected_duration: '2m' },
          broken: { command: 'echo "connect ECONNREFUSED 10.0.0.1:443" >&2; exit 2', expected_duration: '1m' },
        };
        project.write({ 'governance.yaml': stringify(governance), 'tools/provider.sh': PROVIDER });
        project.git(['init', '-q', '-b', 'main']);
        project.commitAll('the project, with a scripted provider');

        // A packet whose one acceptance item a file can prove (no gate run needed), attached to its task.
        await project.examplePacket({ TASK_ID: 'T-DISPATCH' });
        const file = '.packgate/packets/T-DISPATCH.yaml';
        const packet = parse(project.read(file));
        packet.acceptance = ['the provider leaves its notes in the pack'];
        project.write({ [file]: stringify(packet) });
        const attached = await project.packgate(['packet', 'attach', file]);
        expect(attached.exitCode, attached.output).toBe(0);

        const before = await project.json(['task', 'show', 'T-DISPATCH']);
        const unknown = await project.packgate(['task', 'dispatch', 'T-DISPATCH', '--provider', 'scriptd']);
        expect(unknown.exitCode).toBe(2);
        expect(unknown.stderr).toContain('unknown provider "scriptd"\n  hint: did you mean "scripted"?');
        expect((await project.json(['task', 'show', 'T-DISPATCH'])).body, 'nothing written').toEqual(before.body);

        const broken = await project.json<{ session: string; closeout: WatchCloseout; released: boolean }>([
          'task',
          'dispatch',
          'T-DISPATCH',
          '--provider',
          'broken',
        ]);
        expect(broken.result.exitCode, broken.result.stderr).toBe(1);
        expect(broken.body).toMatchObject({
          released: true,
          closeout: { status: 'failure', class: 'network', exitCode: 2 },
        });
        expect((await project.json<{ task: { state: string } }>(['task', 'show', 'T-DISPATCH'])).body.task.state).toBe(
          'ready',
        );

        const done = await project.json<{
          session: string;
          worktree: string;
          closeout: WatchCloseout;
          handoff: { recorded: string | null; missing: string[]; filesChanged: Array<{ path: string }> };
        }>(['task', 'dispatch', 'T-DISPATCH', '--provider', 'scripted']);
        expect(done.result.exitCode, done.result.stderr).toBe(0);
        const { body } = done;
        expect(done.result.stderr).toContain(`working on T-DISPATCH in session ${body.session}`);
        expect(body.closeout).toMatchObject({
          status: 'success',
          exitCode: 0,
          session: body.session,
          watcher: 'dispatch-scripted',
        });
        expect(body.closeout.command).toBe(`sh tools/provider.sh ${body.worktree}/.packgate/packet.yaml`);
        expect(fs.readFileSync(`${body.worktree}/packs/auth-session/NOTES.md`, 'utf8')).toBe(
          'notes by the scripted provider\n',
        );
        expect(body.handoff).toMatchObject({ recorded: expect.stringMatching(/^[0-9a-f]{64}$/), missing: [] });
        expect(body.handoff.filesChanged.map(f => f.path)).toEqual(['packs/auth-session/NOTES.md']);

        const shown = await project.json<{
          task: { state: string };
          events: Array<{ kind: string; body: Record<string, unknown> }>;
        }>(['task', 'show', 'T-DISPATCH']);
        expect(shown.body.task.state).toBe('in_review');
        // The workers' sessions ended with their dispatches, released or handed off: none piles up.
        const sessions = await project.json<{ sessions: Array<{ id: string }> }>(['session', 'list']);
        expect(sessions.body.sessions.map(s => s.id)).not.toContain(body.session);
        expect(sessions.body.sessions.map(s => s.id)).not.toContain(broken.body.session);
        const watch = shown.body.events.filter(e => e.kind === 'watch').map(e => e.body);
        expect(watch.slice(-2)).toEqual([
          { phase: 'started', run: body.closeout.run, packet: 'dispatch-scripted', session: body.session },
          { phase: 'closed', run: body.closeout.run, closeout: body.closeout.id, status: 'success', class: null },
        ]);
        const text = await project.packgate(['task', 'show', 'T-DISPATCH']);
        expect(text.stdout).toMatch(
          /watch closeouts:\n {2}#\d+ dispatch-broken run \S+: FAILURE \(network\), exit code 2/,
        );
        expect(text.stdout).toMatch(/ {2}#\d+ dispatch-scripted run \S+: SUCCESS, exit code 0/);

        // A watcher of the task may fix only docs/: the worktree's change to packs/ escalates, and nothing runs.
        const watcher = writeWatcher(project, 'w/docs-only.yaml', {
          id: 'W-DOCS',
          task_id: 'T-DISPATCH',
          watch: { command: 'touch ran.marker' },
          allowed_fixes: ['docs/**'],
        });
        const refused = await project.packgate(['watch', 'run', watcher]);
        expect(refused.exitCode).toBe(1);
        expect(refused.stderr).toContain(
          'watcher W-DOCS did not run: task T-DISPATCH changed packs/auth-session/NOTES.md, outside its allowed fixes (docs/**); the task is escalated',
        );
        expect(project.exists('ran.marker') || fs.existsSync(`${body.worktree}/ran.marker`)).toBe(false);
        const after = await project.json<{
          task: { state: string };
          escalations: Array<Record<string, unknown>>;
          watchCloseouts: WatchCloseout[];
        }>(['task', 'show', 'T-DISPATCH']);
        expect(after.body.task.state).toBe('escalated');
        expect(after.body.escalations).toEqual([
          expect.objectContaining({
            source: 'watch',
            paths: ['packs/auth-session/NOTES.md'],
            details: expect.objectContaining({ outside: ['packs/auth-session/NOTES.md'] }),
          }),
        ]);
        expect(after.body.watchCloseouts.map(c => c.watcher)).toEqual(['dispatch-broken', 'dispatch-scripted']);
      },
    );
  });
