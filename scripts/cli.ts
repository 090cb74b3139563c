import { Command, CommanderError, Help, Option } from 'commander';
import packageJson from '../package.json' with { type: 'json' };
import { printJson, reportError, run } from './commands/kit.ts';
import { registerCoordinatorCommands } from './commands/register-coordinator.ts';
import { registerManualCommands } from './commands/register-manual.ts';
import { registerQueueCommands } from './commands/register-queue.ts';
import { registerReviewCommands } from './commands/register-review.ts';
import { registerWatchCommands } from './commands/register-watch.ts';

// A reader that stops early (`packgate lint | head`) is not an error of the command: the rest of its
// output is dropped, and the command does its work to the end, with its own exit code. It once ended
// the process at the first write: `watch run W | head` left the watched job unrecorded, exit 0.
// Output that cannot be written otherwise (`> file` on a full disk) is said in a line, not Node's
// stack, and the command, finishing as well, exits 1 if it would have exited 0.
let outputLost = false;
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  // ERR_STREAM_DESTROYED: a write after the stream failed, said already.
  if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED' || outputLost) return;
  outputLost = true;
  process.stderr.write(
    `packgate: cannot write its output to stdout: ${error.message}\n` +
      '  hint: what stdout goes to failed (a full disk, a closed file): fix it and run the command again\n',
  );
});
process.on('exit', code => {
  if (outputLost && code === 0) process.exitCode = 1;
});

/** What commander does but does not declare: the two errors a misspelt required flag is between, and a misspelt command's. */
type CommandInternals = {
  missingMandatoryOptionValue(option: Option): void;
  unknownOption(flag: string): void;
  unknownCommand(): void;
};

/**
 * commander checks required options before unknown ones, so a misspelt required flag (`drift --tsak
 * T`) was refused as `required option '--task <id>' not specified`, of a flag the user did give; the
 * unknown option is the error, with commander's did-you-mean (`(Did you mean --task?)`).
 */
class PackgateCommand extends Command {
  override createCommand(name?: string): Command {
    return new PackgateCommand(name);
  }

  missingMandatoryOptionValue(option: Option): void {
    const internals = Command.prototype as unknown as CommandInternals;
    const unknown = unknownFlag(this);
    if (unknown) internals.unknownOption.call(this, unknown);
    else internals.missingMandatoryOptionValue.call(this, option);
  }

  /**
   * `help task start` is the help of `task start`, as `task start --help` is: commander read one word
   * after help and printed task's. A name no command has (`help tsk`) is refused as a misspelt command
   * is (`unknown command 'tsk'`, did you mean, exit 2), where commander printed the whole help on
   * stderr, exit 2, without a word of what was wrong. `help help` is this command's help.
   */
  _dispatchHelpCommand(): void {
    const words = this.args.slice(1).filter(arg => !arg.startsWith('-'));
    helpTarget(this, words).help();
  }
}

/** The command `help <words>` names below `command`; a word none of its commands is, refused as commander refuses it. */
function helpTarget(command: Command, words: string[]): Command {
  const [word, ...rest] = words;
  // A command with no commands of its own takes no more words: its help is shown.
  if (word === undefined || word === 'help' || !command.commands.length) return command;
  const next = command.commands.find(c => c.name() === word || c.aliases().includes(word));
  if (next) return helpTarget(next, rest);
  // Where the command line would have met it: the same words (did you mean), the same exit code.
  command.args = [word];
  (Command.prototype as unknown as CommandInternals).unknownCommand.call(command);
  return command;
}

/** The first flag of the command's leftover arguments (before any `--`) that none of its options is. */
function unknownFlag(command: Command): string | undefined {
  const end = command.args.indexOf('--');
  return (end < 0 ? command.args : command.args.slice(0, end)).find(arg => {
    if (!/^-./.test(arg)) return false;
    const flag = arg.split('=')[0];
    return !command.options.some(option => option.long === flag || option.short === flag);
  });
}

// Each command's module is loaded when it runs: `packgate review holds` does not load Playwright.
/** Exit codes: 0 ok, 1 the thing checked is not ok (e.g. no browser), 2 bad input (catalogue, arguments). */
const program = new PackgateCommand('packgate')
  .description('Workflow packs as a Playwright release gate. Run the gate itself with `npx playwright test`.')
  .version(packageJson.version, '-V, --version', "print packgate's version")
  .showHelpAfterError()
  // Subcommands take it too (commander copies it): `help task start`, `task help start`.
  .helpCommand('help [command...]', 'display help for a command or a subcommand')
  .configureHelp({
    /**
     * A required option says so in --help, where only leaving it out told (`required option '--reason
     * <text>' not specified`); a repeatable option's empty start is no default to show (`(default: [])`).
     */
    optionDescription(option: Option): string {
      const text = Help.prototype.optionDescription.call(this, option).replace(/ \(default: \[\]\)$/, '');
      return option.mandatory ? `${text} (required)` : text;
    },
  })
  .addHelpText(
    'after',
    [
      '',
      'Help of a command: packgate help <command> [<subcommand>], or packgate <command> --help.',
      'Exit codes: 0 ok; 1 what the command checks said no (a stale file, an environment not ready,',
      'new queue debt, a refused handoff) or an internal error; 2 bad input (arguments, catalogue',
      'files: nothing is written) or a store that fails. With --json a command prints one JSON',
      'object on stdout, its errors too ({ "ok": false, "error": ... }); PACKGATE_DEBUG=stack adds',
      "an error's stack trace on stderr.",
    ].join('\n'),
  )
  // A function, not an arrow: commander calls it on the command whose arguments were wrong.
  .exitOverride(function (this: Command, error) {
    // Help and the version end the command line here, but not the process: it ends once they are
    // written, so stdout's handler can say a write that failed (exit 1), where exit 0 left no word of it.
    if (error.exitCode === 0) throw error;
    usageErrorAsJson(this, error);
    process.exit(2);
  });

/** Whether the command line asks for JSON: `--json` before any `--`. */
function jsonAsked(): boolean {
  const args = process.argv.slice(2);
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).includes('--json');
}

/**
 * `packgate --json lint`, `packgate task --json list`: the --json of the command named after it, as
 * other CLIs take a flag before the command. Before, the group refused it (`unknown option '--json'`,
 * and under --json `packgate needs a command`, of the command that was given). It goes after the
 * command words, so what is wrong is said of them as without it: `--json task` is task given no
 * command, `--json tsk` a misspelt command (did you mean), `--json` alone no command.
 */
function withJsonAfterCommand(root: Command, args: string[]): string[] {
  const rest = [...args];
  const moved: string[] = [];
  let command = root;
  let at = 0;
  for (; at < rest.length && command.commands.length; at++) {
    if (rest[at] === '--json') {
      moved.push(...rest.splice(at--, 1));
      continue;
    }
    // Another option, or `--`: the command line is refused or read from here as it was.
    if (rest[at].startsWith('-')) break;
    const next = command.commands.find(c => c.name() === rest[at] || c.aliases().includes(rest[at]));
    if (!next) {
      at++;
      break;
    }
    command = next;
  }
  rest.splice(at, 0, ...moved);
  return rest;
}

/**
 * A command given `--json` whose arguments commander refused (a required option missing, an unknown
 * one) answers in JSON on stdout, as its own errors do (see run in kit.ts), where a tool reading
 * stdout got nothing; the message and help stay on stderr for a person. So does a group given a
 * misspelt command or none (`task strat T --json`, `evidence verfy dir --json`, `task --json`): the
 * commands in it take --json, though the group, where commander refuses the line, does not.
 */
function usageErrorAsJson(command: Command, error: CommanderError): void {
  if (!jsonAsked()) return;
  const group = command.commands.length > 0;
  if (!group && !command.options.some(option => option.long === '--json')) return;
  const path: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) path.unshift(c.name());
  // A group given --json and no command refuses the --json; the command left out is what is wrong.
  const noCommand = group && error.code === 'commander.unknownOption' && error.message.includes("'--json'");
  const commands = command.commands.map(c => c.name()).filter(name => name !== 'help');
  // commander's own suggestion ("(Did you mean --evidence?)") is a hint.
  const [said, meant] = noCommand
    ? [`${path.join(' ')} needs a command: ${commands.join(', ')}`]
    : error.message.replace(/^error: /, '').split(/\n\(Did you mean (.+)\?\)$/);
  const lists =
    noCommand || error.code === 'commander.unknownCommand' ? 'lists its commands' : 'lists its arguments and options';
  printJson({
    ok: false,
    error: {
      code: 'INPUT_INVALID',
      message: said,
      hint: `${meant ? `did you mean ${meant}? ` : ''}\`${path.join(' ')} --help\` ${lists}`,
      diagnostics: [],
    },
  });
}

program
  .command('lint')
  .description('validate every pack.yaml, environment and seed set, and the references between them')
  .option('--json', 'print the problems as JSON')
  .action(async options => (await import('./commands/lint.ts')).lint(options));

program
  .command('schemas')
  .description('write the JSON Schemas of the catalogue files into schemas/')
  .option('--check', 'only check that schemas/ is up to date (exit 1 if not)')
  .option('--json', 'print as JSON')
  .action(async options => (await import('./commands/schemas.ts')).schemas(options));

program
  .command('tests')
  .description("check each pack's tests.yaml against the tests its specs declare (exit 1 when one is stale)")
  .option('--update', 'rewrite the stale ones')
  .option('--json', 'print as JSON')
  .action(async options => (await import('./commands/tests.ts')).tests(options));

program
  .command('refusals')
  .description("every pack's refusals and the tests that prove them, as a Markdown table")
  .option('--update', 'rewrite the table in README.md between its markers')
  .option('--check', 'only check that the table in README.md is current (exit 1 if not)')
  .option('--json', 'print as JSON')
  .action(async options => (await import('./commands/refusals.ts')).refusals(options));

program
  .command('types')
  .description("write each pack's pack.gen.ts: its path and selector names as types, checked by tsc in its specs")
  .option('--check', 'only check that every pack.gen.ts is up to date (exit 1 if not)')
  .option('--json', 'print as JSON')
  .action(async options => (await import('./commands/types.ts')).types(options));

const pack = program.command('pack').description('workflow packs: the journeys the gate runs');
pack
  .command('new <id>')
  .description(
    'scaffold packs/<id>: pack.yaml, a spec per layer whose one test fails until the journey is written, ' +
      'its pack.gen.ts and tests.yaml; refused (exit 2, nothing written) where lint would refuse the pack',
  )
  .requiredOption('--title <text>', 'a short name, e.g. "Checkout flow"')
  .requiredOption('--journey <text>', 'what a user does, end to end, in a sentence or two')
  .requiredOption('--owner <lane>', 'the lane of governance.yaml that owns it (its failures are routed there)')
  .option(
    '--layers <list>',
    'comma-separated layers, each run by <layer>.spec.ts: api, browser, parity, remote',
    'api,browser',
  )
  .option('--policy <list>', 'comma-separated stage=blocking|advisory: the stages it runs in', 'dev=blocking')
  .option('--identity <user>', 'the seed user it signs in as (its seed sets are those holding the user)')
  .option('--depends-on <list>', 'comma-separated packs whose failure makes its own meaningless, e.g. auth-session')
  .option('--proof <text>', 'required_proof: what a passing run proves (default: from the title)')
  .option('--json', 'print the result (or the error) as JSON')
  .action((id, options) => run(options, async () => (await import('./commands/pack-new.ts')).packNew(id, options)));

const stack = program.command('stack').description('the embedded reference stack');
stack
  .command('faults')
  .description(
    'list the faults the stack can inject, the pack meant to catch each, and the verdict each environment owes',
  )
  .option('--json', 'print as JSON')
  // Both at once printed the JSON alone, as if --markdown had been heard.
  .addOption(new Option('--markdown', 'print the table as Markdown').conflicts('json'))
  .action(async options => (await import('./commands/stack.ts')).stackFaults(options));
stack
  .command('start')
  .description("start an environment's stack in the foreground (what the webServer of a run starts)")
  .option('--env <name>', 'environment with a stack', 'local')
  .option('--faults <ids>', 'comma-separated faults to inject (PACKGATE_STACK_FAULTS)')
  .addHelpText(
    'after',
    '\nIts URLs and accounts are those of the environment file (environments/<name>.yaml): for local,\n' +
      'PACKGATE_LOCAL_APP_URL, _ISSUER_URL, _API_URL (default ports 4410, 4411, 4412) and the passwords\n' +
      'PACKGATE_LOCAL_USER_PASSWORD, _MEMBER_PASSWORD (when unset, generated and kept in\n' +
      '.packgate/local-secrets.json, which the gate reads too). It prints a line when ready.',
  )
  .action(async options => (await import('./commands/stack.ts')).stackStart(options));

const browser = program.command('browser').description('the Chromium the browser layers drive');
browser
  .command('ensure')
  .description("find a Chromium (Playwright's, else the system's), installing Debian's chromium if there is none")
  .option('--postinstall', 'never fail: say what to do and exit 0 (for npm install)')
  .action(async options => (await import('./commands/browser.ts')).browserEnsure(options));

program
  .command('dashboard')
  .description('a read-only web dashboard and JSON API over the queue store, on 127.0.0.1 (Ctrl-C stops it)')
  .option('--port <n>', 'port to listen on (0: any free one)', '4780')
  .option(
    '--host <host>',
    'interface to listen on (default 127.0.0.1); one that is not loopback (127.x, ::1) is reachable by others ' +
      '(a warning says so); an empty one is refused',
  )
  .option('--store <url-or-file>', 'a PostgreSQL URL or a SQLite store file (default: the project store)')
  .option('--json', 'print the URL (or the error) as JSON')
  .option('--actor <name>', 'accepted as by every command; the dashboard writes nothing')
  .action(options => run(options, async () => (await import('./commands/dashboard.ts')).dashboard(options)));

registerQueueCommands(program);
registerReviewCommands(program);
registerWatchCommands(program);
registerCoordinatorCommands(program);
registerManualCommands(program);

const evidence = program.command('evidence').description('the evidence a gate run wrote');
evidence
  .command('verify <dir>')
  .description(
    'check a gate output folder against its attestation.intoto.json: files re-hashed, added ones listed, the signature checked with a key',
  )
  .option('--key <file>', 'ed25519 public key (PEM) to check the signature with (default: PACKGATE_ATTEST_PUBLIC_KEY)')
  .option('--json', 'print the result (or the error) as JSON')
  .action((dir, options) =>
    run(options, async () => (await import('./commands/evidence.ts')).evidenceVerify(dir, options)),
  );

const env = program.command('env').description('environments: the descriptors of where the packs run');
env
  .command('check <name>')
  .description(
    'preflight a descriptor: env vars, URLs, IdP discovery and issuer, the registered callback, ' +
      'each account signing in, the packs it runs (exit 0 ready, 1 not, 2 bad input)',
  )
  .option('--json', 'print the result (or the error) as JSON')
  .option('--no-sign-in', 'skip the browser sign-ins')
  .action((name, options) => run(options, async () => (await import('./commands/env.ts')).envCheck(name, options)));

const report = program.command('report').description('reports built from the last gate run');
report
  .command('allure')
  .description(
    'build the Allure 3 report from <output_dir>/allure-results (reports: { allure: true } in packgate.yaml), ' +
      "the gate's verdict as its quality gate; with a queue store, add it to the run recorded from that folder",
  )
  .option('--json', 'print the result (or the error) as JSON')
  .action(options => run(options, async () => (await import('./commands/report.ts')).reportAllure(options)));

// What a command without `run` (kit.ts) throws: a packgate error as its message, anything else as an
// internal error of one line (shownError), never Node's stack trace unless PACKGATE_DEBUG=stack asks.
try {
  await program.parseAsync(withJsonAfterCommand(program, process.argv.slice(2)), { from: 'user' });
} catch (thrown) {
  // Help or the version, written: the process ends when stdout has taken it (see exitOverride).
  if (thrown instanceof CommanderError && thrown.exitCode === 0) process.exitCode = 0;
  // A command that does not go through run (stack faults, lint) still answers --json in JSON.
  else process.exit(reportError(thrown, jsonAsked()));
}
